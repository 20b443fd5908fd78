/**
 * @smarty/p1 — pure codec for the P1 port: bytes in, readings out. No I/O, no timers, no globals.
 */
export * from "./crc16.js";
export * from "./decoder.js";
export * from "./decrypt.js";
export * from "./dsmr-parser.js";
export * from "./dsmr-time.js";
export * from "./encoder.js";
export * from "./errors.js";
export * from "./frame-splitter.js";
export * from "./mbus-registry.js";
export * from "./obis-registry.js";
export type { Nth, ObisRow } from "./obis-rows.js";
export type * from "./obis-types.js";
export * from "./reading.js";
export * from "./reading-power.js";
export * from "./units.js";
