/**
 * @smarty/testkit — real daemons on loopback for integration tests (private, never shipped).
 */

export * from "./chromium.js";
export * from "./gpg.js";
export * from "./mosquitto.js";
export * from "./process.js";
export * from "./prometheus.js";
export * from "./prosody.js";
export * from "./redis.js";
export * from "./service-process.js";
export * from "./smtp.js";
export * from "./socat.js";
