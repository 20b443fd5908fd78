/**
 * The reading: what one telegram says, in the JSON form that every service publishes and consumes
 * (documented in docs/reading.md). Field names are snake_case; named values are the OBIS registry keys.
 */
import type { ObisKey, ObisRegistryRow } from "./obis-registry.js";
import type { MbusMedium } from "./obis-types.js";

/** One value of a multi-value line such as `1-1:31.4.0(040*A)(-040*A)`. */
export interface ObisPart {
  readonly value: number | string;
  readonly unit?: string;
}

/** One OBIS line as sent; `unit` is filled from the registry when the telegram omits it. */
export interface ObisValue {
  /** Number for numeric lines, string otherwise (hex octet strings decoded when printable). */
  readonly value: number | string;
  readonly unit?: string;
  /** Capture time of M-Bus values (`0-n:24.2.1`), ISO 8601 with offset. */
  readonly time?: string;
  /** All values of a line carrying more than one. */
  readonly values?: readonly ObisPart[];
}

/** A configured M-Bus channel (gas, water, heat); unconfigured channels are left out. */
export interface MbusReading {
  readonly channel: number;
  readonly device_type: number;
  readonly medium: MbusMedium;
  readonly equipment_id?: string;
  /** Last index, in `unit`. Absent when the channel has not reported one. */
  readonly value?: number;
  readonly unit?: string;
  /** Capture time of the index. */
  readonly time?: string;
  readonly valve_state?: number;
  readonly breaker_state?: number;
}

export interface PowerFailureEvent {
  /** End of the failure, ISO 8601. */
  readonly time: string;
  readonly duration_s: number;
}

/** One month of the e-MUCS peak demand history `0-0:98.1.0`. */
export interface PeakDemand {
  /** Start of the month, ISO 8601. */
  readonly month: string;
  /** When the peak happened, ISO 8601; null when the meter sends the dummy time (no peak that month). */
  readonly time: string | null;
  readonly kw: number;
}

/** A type, not an interface, so a reading stays assignable to `Record<string, unknown>` for generic code. */
export type ReadingCore = {
  /** Meter identity: decoded `0-0:42.0.0` (Lux), `0-0:96.1.1` (DSMR) or the header identification. */
  readonly meter_id: string;
  /** Telegram time `0-0:1.0.0` as ISO 8601 with offset, or null when the meter sends none. */
  readonly time: string | null;
  /** P1 version `1-3:0.2.8` ("42" for Lux, "50" for DSMR 5), null when absent. */
  readonly version: string | null;
  /** Identification line without the leading `/`, e.g. `Lux5\253694471_M`. */
  readonly header: string;
  /** CRC as sent (four hex digits), null for telegrams without one (DSMR 2.2/3). */
  readonly crc: string | null;
  /** Every OBIS line, known or not, keyed by code without `.255`. */
  readonly obis: Readonly<Record<string, ObisValue>>;
  readonly mbus: readonly MbusReading[];
  /** Lines that are not OBIS lines; kept, never dropped. */
  readonly unparsed: readonly string[];
  /** OBIS codes that the registry does not know, for counting. */
  readonly unknown_codes: readonly string[];
  /** Present for readings from encrypted frames. */
  readonly frame?: { readonly system_title: string; readonly frame_counter: number };
};

/**
 * The named value of a registry row, as the parser sets it (dsmr-values.ts `namedValue`): text, versions and times
 * are strings, the power failure log is its events, a multi-value line (`1-1:31.4.0`) is its values when the
 * telegram sends more than one, and everything else is a number in the row's unit.
 */
export type NamedValue<D extends ObisRegistryRow> = D extends { readonly values: number }
  ? number | readonly (number | null | undefined)[]
  : D["kind"] extends "text" | "version" | "time"
    ? string
    : D["kind"] extends "log"
      ? readonly PowerFailureEvent[]
      : D["kind"] extends "peak_log"
        ? readonly PeakDemand[]
        : number;

/** One optional named value per registry key, typed from the registry row. */
export type NamedValues = { readonly [D in ObisRegistryRow as D["key"]]?: NamedValue<D> };

/** A reading: the core fields plus one named value per known registry key (in the registry's unit). */
export type Reading = ReadingCore & NamedValues;

/**
 * The named value under a registry row's key, for code that walks the registry (metrics, state topics) and so holds
 * the key as a plain string; code that names a value reads `reading.<key>` or readingNumber and is checked.
 */
export function readingValue(reading: Reading, key: string): unknown {
  return (reading as Readonly<Record<string, unknown>>)[key];
}

/** A named numeric value of a reading, or undefined. */
export function readingNumber(reading: Reading, key: ObisKey): number | undefined {
  const v = reading[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** A named text value of a reading, or undefined. */
export function readingText(reading: Reading, key: ObisKey): string | undefined {
  const v = reading[key];
  return typeof v === "string" ? v : undefined;
}

/** Milliseconds since epoch of the reading's telegram time, or undefined. */
export function readingTimeMs(reading: Pick<ReadingCore, "time">): number | undefined {
  if (!reading.time) return undefined;
  const ms = Date.parse(reading.time);
  return Number.isNaN(ms) ? undefined : ms;
}
