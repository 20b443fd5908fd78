/**
 * @smarty/exporter — Prometheus exporter for smarty readings: latest reading per meter from MQTT, rendered at
 * scrape time with names from the OBIS registry.
 */
export * from "./catalogue.js";
export * from "./collectors/electricity.js";
export * from "./collectors/ingest.js";
export * from "./collectors/mbus.js";
export * from "./collectors/reading-info.js";
export * from "./config.js";
export * from "./exporter.js";
export * from "./http.js";
export * from "./ingest-status.js";
export * from "./metrics-doc.js";
export * from "./metrics-registry.js";
export * from "./reading-cache.js";
export * from "./snapshot-metric.js";
export * from "./snapshot-registry.js";
export * from "./subscriber.js";
