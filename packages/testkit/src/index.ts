/**
 * @smarty/testkit — real daemons on loopback for integration tests (private, never shipped).
 */
export * from "./mosquitto.js";
export * from "./process.js";
export * from "./prosody.js";
export * from "./socat.js";
