/**
 * @smarty/contracts — the MQTT topic tree and its payload schemas; services depend on this, never on each other.
 */
export * from "./codec.js";
export * from "./home-assistant.js";
export * from "./payloads.js";
export * from "./reading-message.js";
export * from "./state.js";
export * from "./topic-map.js";
export * from "./topics.js";
