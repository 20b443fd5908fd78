/**
 * @smarty/service-kit — what every service shares: env config, pino logger, MQTT connection with Last Will,
 * lifecycle, injectable clock, burst logging and the HTTP listener.
 */
export * from "./burst-log.js";
export * from "./clock.js";
export * from "./config.js";
export * from "./duration.js";
export * from "./http-server.js";
export * from "./lifecycle.js";
export * from "./logger.js";
export * from "./mqtt-connection.js";
export * from "./subscribe.js";
