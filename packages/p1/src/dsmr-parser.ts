/**
 * DSMR telegram parser (DSMR 5.0.2 P1 Companion Standard §6; Luxmetering P1 spec v1.1.3 §3.2 and §4).
 *
 * Layout: `/XXX5<identification>` CR LF, an empty line, OBIS lines `C-C:C.C.C(value*unit)(…)`, then `!` and the
 * CRC-16/ARC in four hex digits over `/`…`!`. Every OBIS line is kept; known codes also become named values.
 */
import { crc16, formatCrc } from "./crc16.js";
import { DUMMY_MBUS_TIME, parseDsmrTime } from "./dsmr-time.js";
import { CrcError, FrameFormatError } from "./errors.js";
import { findMbusObis, findObis, mbusDefaultUnit, mbusMedium } from "./mbus-registry.js";
import type { ObisDefinition } from "./obis-types.js";
import type { MbusReading, ObisPart, ObisValue, PowerFailureEvent, Reading } from "./reading.js";
import { convertUnit } from "./units.js";

export interface ParseOptions {
  /** Check the CRC (default). Telegrams without CRC are accepted only when they announce no DSMR 4+ version. */
  readonly verifyCrc?: boolean;
}

const OBIS_LINE = /^(\d{1,3}-\d{1,3}:\d{1,3}\.\d{1,3}\.\d{1,3})((?:\([^()]*\))+)$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const BANG = 0x21;

/** Parses one telegram (bytes or text). Throws CrcError or FrameFormatError. */
export function parseTelegram(input: Uint8Array | string, options: ParseOptions = {}): Reading {
  const bytes =
    typeof input === "string"
      ? Buffer.from(input, "latin1")
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const start = bytes.indexOf(0x2f);
  if (start !== 0) {
    throw new FrameFormatError(
      start < 0 ? "telegram has no '/' start" : `telegram must start with '/', found data before it`,
      { offset: 0 },
    );
  }
  const bang = bytes.lastIndexOf(BANG);
  if (bang < 0) throw new FrameFormatError("telegram has no '!' end", { offset: bytes.length });
  const crcText = bytes.toString("latin1", bang + 1, Math.min(bytes.length, bang + 5)).trim();
  const text = bytes.toString("latin1", 0, bang);
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.slice(1).trim();
  if (!/^[A-Za-z]{3}\d/.test(header)) {
    throw new FrameFormatError(`identification line '${header.slice(0, 20)}' is not '/XXXn…'`, { offset: 1 });
  }
  let crc: string | null = null;
  if (/^[0-9A-Fa-f]{4}$/.test(crcText)) {
    crc = crcText.toUpperCase();
    if (options.verifyCrc !== false) {
      const actual = formatCrc(crc16(bytes, 0, bang + 1));
      if (actual !== crc) throw new CrcError(crc, actual);
    }
  } else if (crcText.length > 0) {
    throw new FrameFormatError(`CRC after '!' must be four hex digits, found '${crcText.slice(0, 8)}'`, {
      offset: bang + 1,
    });
  }
  return buildReading(header, crc, lines.slice(1), options);
}

function buildReading(header: string, crc: string | null, lines: readonly string[], options: ParseOptions): Reading {
  const obis: Record<string, ObisValue> = {};
  const named: Record<string, unknown> = {};
  const unparsed: string[] = [];
  const unknown: string[] = [];
  const mbus = new Map<number, Record<string, unknown>>();

  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") continue;
    const m = OBIS_LINE.exec(line);
    if (!m) {
      unparsed.push(line);
      continue;
    }
    const code = m[1]!;
    const parts = m[2]!.slice(1, -1).split(")(");
    const def = findObis(code);
    if (def) {
      const value = parseKnown(def, parts);
      obis[code] = value;
      const nv = namedValue(def, value);
      if (nv !== undefined) named[def.key] = nv;
      continue;
    }
    const ch = findMbusObis(code);
    if (ch) {
      const value = parseMbus(ch.def, parts);
      obis[code] = value;
      const entry = mbus.get(ch.channel) ?? {};
      mbus.set(ch.channel, entry);
      if (ch.def.key === "value") {
        entry.value = value.value;
        entry.unit = value.unit;
        entry.time = value.time;
      } else {
        entry[ch.def.key] = value.value;
      }
      continue;
    }
    obis[code] = parseGeneric(parts);
    unknown.push(code);
  }

  const version = named.p1_version ?? (obis["0-0:96.1.4"]?.value as string | number | undefined);
  if (
    crc === null &&
    options.verifyCrc !== false &&
    version !== undefined &&
    Number(String(version).slice(0, 1)) >= 4
  ) {
    throw new FrameFormatError("telegram of DSMR 4 or later has no CRC after '!'");
  }
  const meterId = pickMeterId(named, header);
  const time = typeof named.timestamp === "string" ? named.timestamp : null;
  return {
    meter_id: meterId,
    time,
    version: version === undefined ? null : String(version),
    header,
    crc,
    obis,
    mbus: finishMbus(mbus),
    unparsed,
    unknown_codes: unknown,
    ...named,
  } as Reading;
}

function pickMeterId(named: Record<string, unknown>, header: string): string {
  for (const key of ["logical_device_name", "equipment_id"]) {
    const v = named[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return header.replace(/[^A-Za-z0-9_-]/g, "_");
}

function splitPart(part: string): ObisPart {
  const star = part.indexOf("*");
  const num = star < 0 ? part : part.slice(0, star);
  if (NUMBER.test(num)) {
    return star < 0 ? { value: Number(num) } : { value: Number(num), unit: part.slice(star + 1) };
  }
  return { value: part };
}

function parseGeneric(parts: readonly string[]): ObisValue {
  const values = parts.map(splitPart);
  const first = values[0]!;
  return values.length > 1 ? { ...first, values } : first;
}

/** Hex octet strings (Lux 0-0:42.0.0, 0-n:96.1.0, 96.13.x) become text when every byte is printable ASCII. */
export function decodeHexText(s: string): string {
  if (s.length === 0 || s.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(s)) return s;
  const b = Buffer.from(s, "hex");
  for (const c of b) if (c < 0x20 || c > 0x7e) return s;
  return b.toString("latin1");
}

function parseKnown(def: ObisDefinition, parts: readonly string[]): ObisValue {
  switch (def.kind) {
    case "text":
      return { value: def.hexText ? decodeHexText(parts[0] ?? "") : (parts[0] ?? "") };
    case "version":
      return { value: parts[0] ?? "" };
    case "time":
      return { value: parseDsmrTime(parts[0] ?? "") ?? parts[0] ?? "" };
    case "log":
      return { value: parts.length > 0 ? (splitPart(parts[0]!).value as number) : 0, values: parts.map(splitPart) };
    default: {
      const values = parts.map((p) => withUnit(splitPart(p), def.unit));
      const first = values[0]!;
      return values.length > 1 ? { ...first, values } : first;
    }
  }
}

function withUnit(part: ObisPart, unit: string | undefined): ObisPart {
  return part.unit === undefined && unit !== undefined && typeof part.value === "number" ? { ...part, unit } : part;
}

function namedValue(def: ObisDefinition, v: ObisValue): unknown {
  if (def.kind === "log") return powerFailureEvents(v.values ?? []);
  if (def.kind === "time") return typeof v.value === "string" && v.value.includes("T") ? v.value : undefined;
  if (typeof v.value !== "number") return def.kind === "text" || def.kind === "version" ? v.value : undefined;
  const convert = (p: ObisPart): number | undefined =>
    typeof p.value === "number" ? (def.unit ? convertUnit(p.value, p.unit, def.unit) : p.value) : undefined;
  if (v.values && def.values !== undefined && def.values > 1) return v.values.map(convert);
  return convert(v);
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

function parseMbus(def: ObisDefinition, parts: readonly string[]): ObisValue {
  if (def.key === "equipment_id") return { value: decodeHexText(parts[0] ?? "") };
  if (def.key !== "value") return splitPart(parts[0] ?? "");
  const tst = parts[0] ?? "";
  const reading = splitPart(parts[1] ?? "");
  const time = tst === DUMMY_MBUS_TIME ? undefined : parseDsmrTime(tst);
  return time === undefined ? reading : { ...reading, time };
}

function finishMbus(channels: Map<number, Record<string, unknown>>): MbusReading[] {
  const out: MbusReading[] = [];
  for (const [channel, e] of [...channels].sort((a, b) => a[0] - b[0])) {
    if (typeof e.device_type !== "number") continue;
    // An unconfigured channel sends the dummy time and a value without unit (Lux spec §4.2): not a reading.
    const configured = typeof e.value === "number" && typeof e.unit === "string" && typeof e.time === "string";
    const hasId = typeof e.equipment_id === "string" && e.equipment_id !== "";
    if (!configured && !hasId) continue;
    const medium = mbusMedium(e.device_type);
    out.push({
      channel,
      device_type: e.device_type,
      medium,
      ...(hasId ? { equipment_id: e.equipment_id as string } : {}),
      ...(configured
        ? { value: e.value as number, unit: (e.unit as string) ?? mbusDefaultUnit(medium), time: e.time as string }
        : {}),
      ...(typeof e.valve_state === "number" ? { valve_state: e.valve_state } : {}),
      ...(typeof e.breaker_state === "number" ? { breaker_state: e.breaker_state } : {}),
    });
  }
  return out;
}
