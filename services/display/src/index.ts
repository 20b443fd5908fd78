/**
 * @smarty/display — the In Home Display: a live page fed by MQTT, with Server-Sent Events and a read-only JSON API.
 */
export * from "./assets.js";
export * from "./config.js";
export * from "./display.js";
export * from "./http.js";
export * from "./meter-store.js";
export * from "./power-history.js";
export * from "./security.js";
export * from "./snapshot.js";
export * from "./sse-hub.js";
export * from "./subscriber.js";
export * from "./view.js";
