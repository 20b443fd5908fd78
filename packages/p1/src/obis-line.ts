/**
 * Recognises one OBIS line of a telegram (DSMR 5.0.2 §6.4, IEC 62056-61 reduced ID codes):
 * exactly `\d{1,3}-\d{1,3}:\d{1,3}\.\d{1,3}\.\d{1,3}` followed by one or more `(…)` groups without nested
 * parentheses. Anything else is not an OBIS line and the parser keeps it in `unparsed`.
 *
 * This runs for every line of every telegram, so it scans characters by hand and finds known codes through a
 * hash table of small integers instead of cutting a new substring per line (see `npm run bench`).
 */
import { MBUS_CHANNELS, MBUS_REGISTRY } from "./mbus-registry.js";
import { OBIS_REGISTRY } from "./obis-registry.js";
import type { ObisDefinition } from "./obis-types.js";

/** What a code means: a registry row (channel 0) or an M-Bus row of channel 1…4. */
export interface LineKind {
  /** The code as written, e.g. `0-1:24.2.1`; also the `obis` key, so no new string is made per line. */
  readonly code: string;
  /** The same code as latin1 bytes, to compare with the telegram without making a string. */
  readonly codeBytes: Uint8Array;
  readonly def: ObisDefinition;
  readonly channel: number;
}

const OPEN = 0x28;
const CLOSE = 0x29;
const LF = 0x0a;

function codeHash(b: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + b[i]!) & 0x3fffffff;
  return h;
}

/** Open-addressing table of every known code: slot → 1 + index into KINDS (0 = empty), with the code hashes. */
const TABLE_BITS = 10;
const TABLE_MASK = (1 << TABLE_BITS) - 1;

function kindOf(code: string, def: ObisDefinition, channel: number): LineKind {
  return { code, codeBytes: Buffer.from(code, "latin1"), def, channel };
}

/** Every known code, M-Bus rows expanded per channel; a registry row wins over an M-Bus row of the same code. */
const KINDS: readonly LineKind[] = (() => {
  const byCode = new Map<string, LineKind>();
  for (const channel of MBUS_CHANNELS) {
    for (const def of MBUS_REGISTRY) {
      const code = `0-${channel}:${def.code.slice(4)}`;
      byCode.set(code, kindOf(code, def, channel));
    }
  }
  for (const def of OBIS_REGISTRY) byCode.set(def.code, kindOf(def.code, def, 0));
  return [...byCode.values()];
})();

const SLOTS = new Int32Array(1 << TABLE_BITS);
const HASHES = new Int32Array(1 << TABLE_BITS);
for (let k = 0; k < KINDS.length; k++) {
  const code = KINDS[k]!.codeBytes;
  const h = codeHash(code, 0, code.length);
  let slot = h & TABLE_MASK;
  while (SLOTS[slot] !== 0) slot = (slot + 1) & TABLE_MASK;
  SLOTS[slot] = k + 1;
  HASHES[slot] = h;
}

/** The registry meaning of the code `b[start, end)`, or undefined for a code the registry does not know. */
export function lookupCode(b: Uint8Array, start: number, end: number): LineKind | undefined {
  const h = codeHash(b, start, end);
  const n = end - start;
  for (let slot = h & TABLE_MASK; SLOTS[slot] !== 0; slot = (slot + 1) & TABLE_MASK) {
    if (HASHES[slot] !== h) continue;
    const kind = KINDS[SLOTS[slot]! - 1]!;
    const code = kind.codeBytes;
    if (code.length !== n) continue;
    let i = 0;
    while (i < n && code[i] === b[start + i]) i++;
    if (i === n) return kind;
  }
  return undefined;
}

/** Whitespace that String.prototype.trim removes, within latin1. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/** Index after 1–3 digits at `i` followed by `sep`, or -1. */
function digitsThen(b: Uint8Array, i: number, end: number, sep: number): number {
  let j = i;
  while (j < end) {
    const c = b[j]!;
    if (c < 0x30 || c > 0x39) break;
    j++;
  }
  const digits = j - i;
  return digits === 0 || digits > 3 || j >= end || b[j] !== sep ? -1 : j + 1;
}

/** Index of the `(` that ends a well-formed OBIS code starting at `s`, or -1. */
export function scanCode(b: Uint8Array, s: number, end: number): number {
  let i = digitsThen(b, s, end, 0x2d); // A-
  if (i > 0) i = digitsThen(b, i, end, 0x3a); // B:
  if (i > 0) i = digitsThen(b, i, end, 0x2e); // C.
  if (i > 0) i = digitsThen(b, i, end, 0x2e); // D.
  if (i > 0) i = digitsThen(b, i, end, OPEN); // E(
  return i > 0 ? i - 1 : -1;
}

/**
 * Reads the groups `(a)(b)…` from `open` to the end of the line into `parts` (strings cut from `text`, the
 * latin1 form of `b`). Returns the index of the line's `\n` (or `end`), or -1 when the line is not groups
 * followed only by whitespace.
 */
export function scanParts(b: Uint8Array, text: string, open: number, end: number, parts: string[]): number {
  let i = open;
  while (i < end && b[i] === OPEN) {
    const start = i + 1;
    let j = start;
    for (; j < end; j++) {
      const c = b[j]!;
      if (c === CLOSE) break;
      if (c === OPEN || c === LF) return -1;
    }
    if (j >= end) return -1;
    parts.push(text.slice(start, j));
    i = j + 1;
  }
  while (i < end && b[i] !== LF && isSpace(b[i]!)) i++;
  return i === end || b[i] === LF ? i : -1;
}
