/**
 * Values of one OBIS line (DSMR 5.0.2 §6.4 value formats; Luxmetering P1 spec v1.1.3 §4): numbers with an
 * optional `*unit`, hex octet strings, `YYMMDDhhmmssX` times, the power failure log and M-Bus values.
 *
 * This runs once per line of every telegram (about 60 lines every 10 s per meter, and every line of a replayed
 * file), so it scans characters instead of using regular expressions and builds each object once.
 */
import { DUMMY_MBUS_TIME, parseDsmrTime } from "./dsmr-time.js";
import type { ObisDefinition } from "./obis-types.js";
import type { ObisPart, ObisValue, PowerFailureEvent } from "./reading.js";
import { convertUnit } from "./units.js";

const MINUS = 0x2d;
const DOT = 0x2e;
/** Below 2^53 an integer mantissa divided by an exact power of ten rounds like Number(text) does. */
const MAX_EXACT_DIGITS = 15;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The number written in `s[0, end)` when it matches `-?\d+(\.\d+)?`, otherwise NaN.
 * Numbers are never NaN on the wire, so NaN is a safe "not a number" marker.
 */
function decimalValue(s: string, end: number): number {
  let i = 0;
  const negative = s.charCodeAt(0) === MINUS;
  if (negative) i = 1;
  let mantissa = 0;
  let digits = 0;
  let c = 0;
  const intStart = i;
  for (; i < end; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
  }
  if (i === intStart) return Number.NaN;
  digits = i - intStart;
  let decimals = 0;
  if (i < end) {
    if (s.charCodeAt(i) !== DOT) return Number.NaN;
    const decStart = ++i;
    for (; i < end; i++) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return Number.NaN;
      mantissa = mantissa * 10 + c;
    }
    decimals = i - decStart;
    if (decimals === 0) return Number.NaN;
    digits += decimals;
  }
  if (digits > MAX_EXACT_DIGITS) return Number(s.slice(0, end));
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

/** `025.653*kWh` → `{value: 25.653, unit: "kWh"}`; anything that is not a decimal number stays text. */
export function splitPart(part: string): ObisPart {
  const star = part.indexOf("*");
  const value = decimalValue(part, star < 0 ? part.length : star);
  if (Number.isNaN(value)) return { value: part };
  return star < 0 ? { value } : { value, unit: part.slice(star + 1) };
}

/** Like splitPart, with the registry unit filled in when the telegram omits it (2018 Lux firmware). */
function splitPartWithUnit(part: string, unit: string | undefined): ObisPart {
  const star = part.indexOf("*");
  const value = decimalValue(part, star < 0 ? part.length : star);
  if (Number.isNaN(value)) return { value: part };
  if (star >= 0) return { value, unit: part.slice(star + 1) };
  return unit === undefined ? { value } : { value, unit };
}

export function parseGeneric(parts: readonly string[]): ObisValue {
  const first = splitPart(parts[0]!);
  if (parts.length === 1) return first;
  return withValues(first, parts.map(splitPart));
}

function withValues(first: ObisPart, values: readonly ObisPart[]): ObisValue {
  return first.unit === undefined ? { value: first.value, values } : { value: first.value, unit: first.unit, values };
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Hex octet strings (Lux 0-0:42.0.0, 0-n:96.1.0, 96.13.x) become text when every byte is printable ASCII. */
export function decodeHexText(s: string): string {
  const n = s.length;
  if (n === 0 || n % 2 !== 0) return s;
  let out = "";
  for (let i = 0; i < n; i += 2) {
    const hi = hexNibble(s.charCodeAt(i));
    const lo = hexNibble(s.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return s;
    const b = hi * 16 + lo;
    if (b < 0x20 || b > 0x7e) return s;
    out += String.fromCharCode(b);
  }
  return out;
}

/** The `obis` entry of a registry row. */
export function parseKnown(def: ObisDefinition, parts: readonly string[]): ObisValue {
  const p0 = parts[0]!;
  switch (def.kind) {
    case "text":
      return { value: def.hexText ? decodeHexText(p0) : p0 };
    case "version":
      return { value: p0 };
    case "time":
      return { value: parseDsmrTime(p0) ?? p0 };
    case "log":
      return { value: splitPart(p0).value as number, values: parts.map(splitPart) };
    default: {
      const first = splitPartWithUnit(p0, def.unit);
      if (parts.length === 1) return first;
      const values: ObisPart[] = [first];
      for (let i = 1; i < parts.length; i++) values.push(splitPartWithUnit(parts[i]!, def.unit));
      return withValues(first, values);
    }
  }
}

function converted(p: ObisPart, unit: string | undefined): number | undefined {
  if (typeof p.value !== "number") return undefined;
  return unit === undefined ? p.value : convertUnit(p.value, p.unit, unit);
}

/** The named value of a registry row (in the registry unit), or undefined when the line gives none. */
export function namedValue(def: ObisDefinition, v: ObisValue): unknown {
  switch (def.kind) {
    case "log":
      return powerFailureEvents(v.values ?? []);
    case "time":
      return typeof v.value === "string" && v.value.includes("T") ? v.value : undefined;
    case "text":
    case "version":
      if (typeof v.value !== "number") return v.value;
      break;
    default:
      if (typeof v.value !== "number") return undefined;
  }
  if (v.values !== undefined && def.values !== undefined && def.values > 1) {
    return v.values.map((p) => converted(p, def.unit));
  }
  return converted(v, def.unit);
}

/** `1-0:99.97.0(n)(0-0:96.7.19)(end time)(duration*s)…` (DSMR 5.0.2 §6.12 power failure event log). */
function powerFailureEvents(parts: readonly ObisPart[]): PowerFailureEvent[] {
  const events: PowerFailureEvent[] = [];
  for (let i = 2; i + 1 < parts.length; i += 2) {
    const time = parseDsmrTime(String(parts[i]!.value));
    const duration = parts[i + 1]!.value;
    if (time && typeof duration === "number") events.push({ time, duration_s: duration });
  }
  return events;
}

/** The `obis` entry of an M-Bus channel line (`0-n:…`). */
export function parseMbus(def: ObisDefinition, parts: readonly string[]): ObisValue {
  const p0 = parts[0]!;
  if (def.key === "equipment_id") return { value: decodeHexText(p0) };
  if (def.key !== "value") return splitPart(p0);
  const reading = splitPart(parts[1] ?? "");
  // An unconfigured channel sends the dummy capture time (Lux spec §4.2): the value has no time.
  const time = p0 === DUMMY_MBUS_TIME ? undefined : parseDsmrTime(p0);
  if (time === undefined) return reading;
  return reading.unit === undefined
    ? { value: reading.value, time }
    : { value: reading.value, unit: reading.unit, time };
}
