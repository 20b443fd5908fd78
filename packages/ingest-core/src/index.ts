/**
 * @smarty/ingest-core — P1 bytes to verified readings on MQTT, shared by the ingest service and the `smarty` CLI
 * (`doctor`, `replay`): sources, the pipeline with its frame checks, the publisher with its bounded queue.
 */
export * from "./doctor.js";
export * from "./pipeline/clock-check.js";
export * from "./pipeline/frame-checks.js";
export * from "./pipeline/ingest-monitor.js";
export * from "./pipeline/keys.js";
export * from "./pipeline/pipeline.js";
export * from "./publish/flow.js";
export * from "./publish/publish-queue.js";
export * from "./publish/reading-publisher.js";
export * from "./replay.js";
export * from "./sources/byte-source.js";
export * from "./sources/create-source.js";
export * from "./sources/file-source.js";
export * from "./sources/serial-source.js";
export * from "./sources/source-url.js";
export * from "./sources/tcp-source.js";
