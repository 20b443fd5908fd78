/**
 * DSMR telegram parser (DSMR 5.0.2 P1 Companion Standard §6; Luxmetering P1 spec v1.1.3 §3.2 and §4).
 *
 * Layout: `/XXX5<identification>` CR LF, an empty line, OBIS lines `C-C:C.C.C(value*unit)(…)`, then `!` and the
 * CRC-16/ARC in four hex digits over `/`…`!`. Every OBIS line is kept; known codes also become named values.
 * Lines that are not OBIS lines (obis-line.ts) are kept in `unparsed`.
 */
import { crc16, formatCrc } from "./crc16.js";
import { decodeHexText, namedValue, parseGeneric, parseKnown, parseMbus } from "./dsmr-values.js";
import { CrcError, FrameFormatError } from "./errors.js";
import { MBUS_CHANNELS, mbusDefaultUnit, mbusMedium } from "./mbus-registry.js";
import { codeAt, isSpace, LineGroups, type LineKind, lookupCode, scanCode, scanGroups } from "./obis-line.js";
import { ShapeCache } from "./object-shape.js";
import type { MbusReading, ObisValue, Reading } from "./reading.js";

export { decodeHexText };

export interface ParseOptions {
  /** Check the CRC (default). Telegrams without CRC are accepted only when they announce no DSMR 4+ version. */
  readonly verifyCrc?: boolean;
}

const SLASH = 0x2f;
const OPEN = 0x28;
const BANG = 0x21;

/** Parses one telegram (bytes or text). Throws CrcError or FrameFormatError. */
export function parseTelegram(input: Uint8Array | string, options: ParseOptions = {}): Reading {
  const bytes =
    typeof input === "string"
      ? Buffer.from(input, "latin1")
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes[0] !== SLASH) {
    const start = bytes.indexOf(SLASH);
    throw new FrameFormatError(
      start < 0 ? "telegram has no '/' start" : `telegram must start with '/', found data before it`,
      { offset: 0 },
    );
  }
  const bang = bytes.lastIndexOf(BANG);
  if (bang < 0) throw new FrameFormatError("telegram has no '!' end", { offset: bytes.length });
  const text = bytes.toString("latin1", 0, bang);
  const eol = text.indexOf("\n");
  const header = (eol < 0 ? text : text.slice(0, eol)).slice(1).trim();
  if (!/^[A-Za-z]{3}\d/.test(header)) {
    throw new FrameFormatError(`identification line '${header.slice(0, 20)}' is not '/XXXn…'`, { offset: 1 });
  }
  let crc: string | null = null;
  const sent = crcAt(bytes, bang + 1);
  if (sent >= 0) {
    crc = formatCrc(sent);
    if (options.verifyCrc !== false) {
      const actual = crc16(bytes, 0, bang + 1);
      if (actual !== sent) throw new CrcError(crc, formatCrc(actual));
    }
  } else {
    const crcText = bytes.toString("latin1", bang + 1, Math.min(bytes.length, bang + 5)).trim();
    if (crcText.length > 0) {
      throw new FrameFormatError(`CRC after '!' must be four hex digits, found '${crcText.slice(0, 8)}'`, {
        offset: bang + 1,
      });
    }
  }
  return buildReading(bytes, text, eol < 0 ? text.length : eol + 1, header, crc, options);
}

/**
 * The CRC written as exactly four hex digits (either case) at `at`, or -1: read from the bytes, so a telegram
 * with a CRC needs no string for it until the reading is built.
 */
function crcAt(b: Uint8Array, at: number): number {
  if (at + 4 > b.length) return -1;
  let crc = 0;
  for (let i = at; i < at + 4; i++) {
    const d = hexDigit(b[i]!);
    if (d < 0) return -1;
    crc = (crc << 4) | d;
  }
  return crc;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** Mutable view of the reading while it is built; its key order is the order of the JSON form. */
type ReadingDraft = { -readonly [K in keyof Reading]: Reading[K] } & Record<string, unknown>;

/** The reading's core fields, first in its JSON form; the named values follow in telegram order. */
const CORE_KEYS = ["meter_id", "time", "version", "header", "crc", "obis", "mbus", "unparsed", "unknown_codes"];
const READING_SHAPES = new ShapeCache(CORE_KEYS);
const OBIS_SHAPES = new ShapeCache([]);
const NO_VALUES: readonly unknown[] = [];
/** The values of CORE_KEYS for the reading being built, in that order. */
const core: unknown[] = CORE_KEYS.map(() => undefined);
const CORE_HEADER = CORE_KEYS.indexOf("header");
const CORE_CRC = CORE_KEYS.indexOf("crc");
const CORE_OBIS = CORE_KEYS.indexOf("obis");
const CORE_UNPARSED = CORE_KEYS.indexOf("unparsed");
const CORE_UNKNOWN = CORE_KEYS.indexOf("unknown_codes");

/**
 * What the lines of the telegram being parsed gave, in telegram order, before the objects are made (object-shape.ts).
 * Shared by every call: parsing is synchronous and never re-entered.
 */
const named = { keys: [] as string[], values: [] as unknown[], n: 0 };
const lines = { codes: [] as string[], values: [] as (ObisValue | undefined)[], n: 0 };
const groups = new LineGroups(Buffer.alloc(0), "");
/** The meaning of each line of the previous telegram, by line number (see `codeAt`). */
const previousKinds: (LineKind | undefined)[] = [];

function buildReading(
  b: Uint8Array,
  text: string,
  from: number,
  header: string,
  crc: string | null,
  options: ParseOptions,
): Reading {
  const unparsed: string[] = [];
  const unknown: string[] = [];
  const channels: (Record<string, unknown> | undefined)[] = [];
  named.n = 0;
  lines.n = 0;
  const len = text.length;
  groups.reset(b, text);
  let pos = from;
  for (let line = 0; ; line++) {
    // Leading whitespace, line ends and empty lines are skipped in one go.
    while (pos < len && isSpace(b[pos]!)) pos++;
    if (pos >= len) break;
    const s = pos;
    const predicted = previousKinds[line];
    let open = predicted === undefined ? -1 : codeAt(b, s, len, predicted);
    let kind: LineKind | undefined = predicted;
    if (open < 0) {
      open = scanCode(b, s, len, groups);
      kind = open < 0 ? undefined : lookupCode(b, s, open, groups.hash);
    }
    previousKinds[line] = kind;
    const eol = open < 0 ? -1 : scanGroups(b, open, len, groups);
    if (eol < 0) {
      const nl = text.indexOf("\n", s);
      let e = nl < 0 ? len : nl;
      pos = e;
      while (isSpace(b[e - 1]!)) e--;
      unparsed.push(text.slice(s, e));
      continue;
    }
    pos = eol;
    if (kind?.def.valueOnNextLine === true) pos = continuation(b, pos, len, groups);
    if (kind === undefined) {
      const code = text.slice(s, open);
      addLine(code, parseGeneric(groups));
      unknown.push(code);
    } else if (kind.channel === 0) {
      const value = parseKnown(kind.def, groups);
      addLine(kind.code, value);
      const nv = namedValue(kind.def, value);
      if (nv !== undefined) {
        named.keys[named.n] = kind.def.key;
        named.values[named.n++] = nv;
      }
    } else {
      const value = parseMbus(kind.def, groups);
      addLine(kind.code, value);
      let entry = channels[kind.channel];
      if (entry === undefined) {
        entry = {};
        channels[kind.channel] = entry;
      }
      if (kind.def.key === "value") {
        entry.value = value.value;
        entry.unit = value.unit;
        entry.time = value.time;
      } else {
        entry[kind.def.key] = value.value;
      }
    }
  }

  const obis = OBIS_SHAPES.builder(lines.codes, lines.n)(NO_VALUES, lines.values) as Record<string, ObisValue>;
  // meter_id, time, version and mbus are filled in below, from the named values.
  core[CORE_HEADER] = header;
  core[CORE_CRC] = crc;
  core[CORE_OBIS] = obis;
  core[CORE_UNPARSED] = unparsed;
  core[CORE_UNKNOWN] = unknown;
  const reading = READING_SHAPES.builder(named.keys, named.n)(core, named.values) as ReadingDraft;
  // Drop the references to this telegram's values: the scratch outlives the call.
  named.values.fill(undefined, 0, named.n);
  lines.values.fill(undefined, 0, lines.n);
  core.fill(undefined);
  const version = reading.p1_version ?? reading.emucs_version;
  if (
    crc === null &&
    options.verifyCrc !== false &&
    version !== undefined &&
    Number(String(version).slice(0, 1)) >= 4
  ) {
    throw new FrameFormatError("telegram of DSMR 4 or later has no CRC after '!'");
  }
  reading.meter_id = pickMeterId(reading, header);
  reading.time = typeof reading.timestamp === "string" ? reading.timestamp : null;
  reading.version = version === undefined ? null : String(version);
  reading.mbus = finishMbus(channels);
  return reading as Reading;
}

/**
 * DSMR 2.2/3.0 `0-n:24.3.0(…)(m3)` carries its value on the next line, `(00001.001)`: when the next line is groups
 * only, they join the line's groups and the scan goes on after them; otherwise nothing changes.
 */
function continuation(b: Uint8Array, eol: number, len: number, groups: LineGroups): number {
  let q = eol;
  while (q < len && isSpace(b[q]!)) q++;
  if (q >= len || b[q] !== OPEN) return eol;
  const count = groups.count;
  const next = scanGroups(b, q, len, groups, true);
  if (next >= 0) return next;
  groups.count = count;
  return eol;
}

function addLine(code: string, value: ObisValue): void {
  lines.codes[lines.n] = code;
  lines.values[lines.n++] = value;
}

function pickMeterId(named: Record<string, unknown>, header: string): string {
  for (const key of ["logical_device_name", "equipment_id"]) {
    const v = named[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return header.replace(/[^A-Za-z0-9_-]/g, "_");
}

function finishMbus(channels: readonly (Record<string, unknown> | undefined)[]): MbusReading[] {
  const out: MbusReading[] = [];
  for (const channel of MBUS_CHANNELS) {
    const e = channels[channel];
    if (e === undefined || typeof e.device_type !== "number") continue;
    // An unconfigured channel sends the dummy time and a value without unit (Lux spec §4.2): not a reading.
    const configured = typeof e.value === "number" && typeof e.unit === "string" && typeof e.time === "string";
    const hasId = typeof e.equipment_id === "string" && e.equipment_id !== "";
    if (!configured && !hasId) continue;
    const medium = mbusMedium(e.device_type);
    const m: { -readonly [K in keyof MbusReading]: MbusReading[K] } = { channel, device_type: e.device_type, medium };
    if (hasId) m.equipment_id = e.equipment_id as string;
    if (configured) {
      m.value = e.value as number;
      m.unit = (e.unit as string) ?? mbusDefaultUnit(medium);
      m.time = e.time as string;
    }
    if (typeof e.valve_state === "number") m.valve_state = e.valve_state;
    if (typeof e.breaker_state === "number") m.breaker_state = e.breaker_state;
    out.push(m);
  }
  return out;
}
