/**
 * Values of one OBIS line (DSMR 5.0.2 §6.4 value formats; Luxmetering P1 spec v1.1.3 §4): numbers with an
 * optional `*unit`, hex octet strings, `YYMMDDhhmmssX` times, the power failure log and M-Bus values.
 *
 * This runs for every line of every telegram, so numbers, units and hex ids are read from the bytes where they
 * are (obis-line.ts `LineGroups`) and a string is cut only for values that stay text.
 */
import { DUMMY_MBUS_TIME, parseDsmrTime } from "./dsmr-time.js";
import { LineGroups } from "./obis-line.js";
import type { ObisDefinition } from "./obis-types.js";
import type { ObisPart, ObisValue, PeakDemand, PowerFailureEvent } from "./reading.js";
import { convertUnit } from "./units.js";

const MINUS = 0x2d;
const DOT = 0x2e;
const STAR = 0x2a;
/** Below 2^53 an integer mantissa divided by an exact power of ten rounds like Number(text) does. */
const MAX_EXACT_DIGITS = 15;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Units the meters send, as shared strings: reused instead of cut from every line. */
const UNITS = ["kWh", "kW", "kvarh", "kvar", "kVA", "V", "A", "m3", "s", "Wh", "W", "varh", "var", "VA", "GJ", "MJ"];
const UNIT_BYTES = UNITS.map((u) => Buffer.from(u, "latin1"));

/**
 * Reads `-?\d+(\.\d+)?` at `s` and returns its value, leaving the index after it in `g.stop`; NaN (with
 * `g.stop` meaningless) when there is no such number. Numbers are never NaN on the wire, so NaN is a safe marker.
 */
function decimalAt(g: LineGroups, s: number, e: number): number {
  const b = g.bytes;
  let i = s;
  const negative = b[i] === MINUS;
  if (negative) i++;
  let mantissa = 0;
  const intStart = i;
  for (; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
  }
  if (i === intStart) return Number.NaN;
  let digits = i - intStart;
  let decimals = 0;
  if (i < e && b[i] === DOT) {
    const decStart = ++i;
    for (; i < e; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
    }
    decimals = i - decStart;
    if (decimals === 0) return Number.NaN;
    digits += decimals;
  }
  g.stop = i;
  if (digits > MAX_EXACT_DIGITS) return Number(g.text.slice(s, i));
  const value = decimals === 0 ? mantissa : mantissa / POW10[decimals]!;
  return negative ? -value : value;
}

function unitAt(g: LineGroups, s: number, e: number): string {
  const n = e - s;
  const b = g.bytes;
  for (let u = 0; u < UNIT_BYTES.length; u++) {
    const ub = UNIT_BYTES[u]!;
    if (ub.length !== n) continue;
    let i = 0;
    while (i < n && ub[i] === b[s + i]) i++;
    if (i === n) return UNITS[u]!;
  }
  return g.text.slice(s, e);
}

/**
 * Group k as a value: `025.653*kWh` → `{value: 25.653, unit: "kWh"}`; text when it is not a decimal number.
 * `unit` fills in a unit the telegram omits (2018 Lux firmware), for numbers only.
 */
function partAt(g: LineGroups, k: number, unit?: string): ObisPart {
  const e = g.end[k]!;
  const value = decimalAt(g, g.start[k]!, e);
  // A number must fill the group or stop at the first `*`, which starts the unit.
  if (Number.isNaN(value) || (g.stop < e && g.bytes[g.stop] !== STAR)) return { value: g.str(k) };
  if (g.stop < e) return { value, unit: unitAt(g, g.stop + 1, e) };
  return unit === undefined ? { value } : { value, unit };
}

/** `025.653*kWh` → `{value: 25.653, unit: "kWh"}`; anything that is not a decimal number stays text. */
export function splitPart(part: string): ObisPart {
  const g = new LineGroups(Buffer.from(part, "latin1"), part);
  g.push(0, part.length);
  return partAt(g, 0);
}

function parts(g: LineGroups, unit?: string): ObisPart[] {
  const out: ObisPart[] = [];
  for (let k = 0; k < g.count; k++) out.push(partAt(g, k, unit));
  return out;
}

function withValues(first: ObisPart, values: readonly ObisPart[]): ObisValue {
  return first.unit === undefined ? { value: first.value, values } : { value: first.value, unit: first.unit, values };
}

/** The `obis` entry of a code the registry does not know. */
export function parseGeneric(g: LineGroups): ObisValue {
  if (g.count === 1) return partAt(g, 0);
  const values = parts(g);
  return withValues(values[0]!, values);
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Hex octets in `bytes[s, e)` as text when every octet is printable ASCII, otherwise undefined. */
function hexTextAt(bytes: Uint8Array, s: number, e: number): string | undefined {
  if (s === e || (e - s) % 2 !== 0) return undefined;
  let out = "";
  for (let i = s; i < e; i += 2) {
    const hi = hexNibble(bytes[i]!);
    const lo = hexNibble(bytes[i + 1]!);
    if (hi < 0 || lo < 0) return undefined;
    const c = hi * 16 + lo;
    if (c < 0x20 || c > 0x7e) return undefined;
    out += String.fromCharCode(c);
  }
  return out;
}

/** Hex octet strings (Lux 0-0:42.0.0, 0-n:96.1.0, 96.13.x) become text when every byte is printable ASCII. */
export function decodeHexText(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return s;
  return hexTextAt(Buffer.from(s, "latin1"), 0, s.length) ?? s;
}

function hexTextGroup(g: LineGroups, k: number): string {
  return hexTextAt(g.bytes, g.start[k]!, g.end[k]!) ?? g.str(k);
}

/** The `obis` entry of a registry row. */
export function parseKnown(def: ObisDefinition, g: LineGroups): ObisValue {
  if (def.timed === true && g.count === 2) return timedValue(g, 0, partAt(g, 1, def.unit));
  switch (def.kind) {
    case "text":
      return { value: def.hexText ? hexTextGroup(g, 0) : g.str(0) };
    case "version":
      return { value: g.str(0) };
    case "time": {
      const t = g.str(0);
      return { value: parseDsmrTime(t) ?? t };
    }
    case "log":
    case "peak_log": {
      const values = parts(g);
      return { value: values[0]!.value as number, values };
    }
    default: {
      const first = partAt(g, 0, def.unit);
      if (g.count === 1) return first;
      const values = [first];
      for (let k = 1; k < g.count; k++) values.push(partAt(g, k, def.unit));
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
    case "peak_log":
      return peakDemands(v.values ?? []);
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
function powerFailureEvents(values: readonly ObisPart[]): PowerFailureEvent[] {
  const events: PowerFailureEvent[] = [];
  for (let i = 2; i + 1 < values.length; i += 2) {
    const time = parseDsmrTime(String(values[i]!.value));
    const duration = values[i + 1]!.value;
    if (time && typeof duration === "number") events.push({ time, duration_s: duration });
  }
  return events;
}

/** A time as the text of a part: numbers are a TST without S/W whose leading zeros the number lost. */
function partTime(p: ObisPart): string | undefined {
  return parseDsmrTime(typeof p.value === "number" ? String(p.value).padStart(12, "0") : p.value);
}

/**
 * `0-0:98.1.0(n)(1-0:1.6.0)(1-0:1.6.0)(month start)(peak time)(value*kW)…` (e-MUCS P1 v1.7.1 §6: the peak demand
 * history, one triple per month). A month whose peak time is the dummy `632525252525W` had no peak: time null.
 */
function peakDemands(values: readonly ObisPart[]): PeakDemand[] {
  const months: PeakDemand[] = [];
  for (let i = 3; i + 2 < values.length; i += 3) {
    const month = partTime(values[i]!);
    const kw = converted(values[i + 2]!, "kW");
    if (month !== undefined && kw !== undefined) months.push({ month, time: partTime(values[i + 1]!) ?? null, kw });
  }
  return months;
}

/** `(capture time)(value)` with the time in group `k`; an invalid or dummy time leaves the value without one. */
function timedValue(g: LineGroups, k: number, reading: ObisPart): ObisValue {
  const t = g.str(k);
  // An unconfigured channel sends the dummy capture time (Lux spec §4.2): the value has no time.
  const time = t === DUMMY_MBUS_TIME ? undefined : parseDsmrTime(t);
  if (time === undefined) return reading;
  return reading.unit === undefined
    ? { value: reading.value, time }
    : { value: reading.value, unit: reading.unit, time };
}

/** Groups of `0-n:24.3.0(time)(00)(60)(1)(0-n:24.2.1)(m3)` plus the `(value)` of the next line. */
const LEGACY_GAS_GROUPS = 7;

/** The `obis` entry of an M-Bus channel line (`0-n:…`). */
export function parseMbus(def: ObisDefinition, g: LineGroups): ObisValue {
  if (def.key === "equipment_id") return { value: hexTextGroup(g, 0) };
  if (def.key !== "value") return partAt(g, 0);
  if (def.valueOnNextLine === true) {
    // DSMR 3.0 §5.4: the unit is the sixth group, the value the line after; without that line the raw groups stay.
    if (g.count !== LEGACY_GAS_GROUPS) return parseGeneric(g);
    const p = partAt(g, LEGACY_GAS_GROUPS - 1);
    if (typeof p.value !== "number") return parseGeneric(g);
    return timedValue(g, 0, { value: p.value, unit: p.unit ?? unitAt(g, g.start[5]!, g.end[5]!) });
  }
  return timedValue(g, 0, g.count > 1 ? partAt(g, 1) : { value: "" });
}
