/**
 * @smarty/ingest — the only part that touches the meter: P1 bytes in, verified readings on MQTT out.
 * Exported for tests, `smarty doctor` and `smarty replay`.
 */
export * from "./byte-source.js";
export * from "./config.js";
export * from "./create-source.js";
export * from "./doctor.js";
export * from "./file-source.js";
export * from "./frame-checks.js";
export * from "./health.js";
export * from "./ingest-monitor.js";
export * from "./keys.js";
export * from "./pipeline.js";
export * from "./publish-queue.js";
export * from "./reading-publisher.js";
export * from "./replay.js";
export * from "./serial-source.js";
export * from "./service.js";
export * from "./source-url.js";
export * from "./tcp-source.js";
