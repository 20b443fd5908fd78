/**
 * @smarty/ingest — the service's wiring only: config, source → pipeline → publisher (from @smarty/ingest-core),
 * health, `/healthz` and the retained read-back. Exported for tests.
 */
export * from "./config.js";
export * from "./mqtt/health.js";
export * from "./mqtt/reading-restore.js";
export * from "./service.js";
