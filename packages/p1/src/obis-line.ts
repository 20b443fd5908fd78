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

const HASH_MASK = 0x3fffffff;

/** The hash scanCode computes on the fly, for the registry codes. */
function codeHash(b: Uint8Array, start: number, end: number): number {
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + b[i]!) & HASH_MASK;
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
  // Some meters (Sagemcom XT211, Iskraemeco AM550) write electricity registers on B-field channel 1, `1-1:1.8.1`
  // for `1-0:1.8.1` (IEC 62056-61 §5.3: B is the channel): the same row, unless the registry names the 1-1 code.
  for (const def of OBIS_REGISTRY) {
    if (!def.code.startsWith("1-0:")) continue;
    const alias = `1-1:${def.code.slice(4)}`;
    if (!byCode.has(alias)) byCode.set(alias, kindOf(alias, def, 0));
  }
  return [...byCode.values()];
})();

// At most half full, so a probe ends quickly at an empty slot.
if (KINDS.length > (1 << TABLE_BITS) / 2) throw new Error("obis-line: code table too small for the registry");
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

/**
 * The registry meaning of the code `b[start, end)` whose hash scanCode left in `h`, or undefined for a code the
 * registry does not know.
 */
export function lookupCode(b: Uint8Array, start: number, end: number, h: number): LineKind | undefined {
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

/**
 * Whether `b[s…]` is the code of `kind` followed by `(`: a meter sends the same lines in the same order, so the code
 * of a line is first compared with the code of the same line of the previous telegram, which skips the scan and the
 * hash lookup of almost every line.
 */
export function codeAt(b: Uint8Array, s: number, end: number, kind: LineKind): number {
  const code = kind.codeBytes;
  const n = code.length;
  if (s + n >= end || b[s + n] !== OPEN) return -1;
  for (let i = 0; i < n; i++) if (code[i] !== b[s + i]) return -1;
  return s + n;
}

/** Whitespace that String.prototype.trim removes, within latin1. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

/** What follows each of the five groups of an OBIS code: `-`, `:`, `.`, `.`, then the first `(`. */
const SEPARATORS = Uint8Array.of(0x2d, 0x3a, 0x2e, 0x2e, OPEN);

/**
 * Index of the `(` that ends a well-formed OBIS code starting at `s`, or -1. Also leaves the code's hash in
 * `g.hash` for lookupCode, so the code's bytes are read once.
 */
export function scanCode(b: Uint8Array, s: number, end: number, g: LineGroups): number {
  let h = 0;
  let i = s;
  for (let field = 0; field < 5; field++) {
    const start = i;
    while (i < end) {
      const c = b[i]!;
      if (c < 0x30 || c > 0x39) break;
      h = (Math.imul(h, 31) + c) & HASH_MASK;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || i >= end || b[i] !== SEPARATORS[field]) return -1;
    if (field === 4) break;
    h = (Math.imul(h, 31) + b[i]!) & HASH_MASK;
    i++;
  }
  g.hash = h;
  return i;
}

/**
 * Where the `(…)` groups of one line are, as offsets into the telegram: group k is `text[start[k], end[k])`.
 * One instance serves every line of a telegram, so no array or substring is made for a group nobody reads.
 */
export class LineGroups {
  start = new Int32Array(8);
  end = new Int32Array(8);
  count = 0;
  /** Scratch: hash of the last code scanCode read. */
  hash = 0;
  /** Scratch: where the last number read by dsmr-values.ts stopped. */
  stop = 0;

  constructor(
    /** The telegram bytes. */
    public bytes: Uint8Array,
    /** The same telegram as latin1 text (one character per byte), to cut strings from. */
    public text: string,
  ) {}

  /** Points this instance at another telegram, so one instance serves every parse. */
  reset(bytes: Uint8Array, text: string): void {
    this.bytes = bytes;
    this.text = text;
    this.count = 0;
  }

  /** Group k as a string. */
  str(k: number): string {
    const s = this.start[k]!;
    const e = this.end[k]!;
    return s === e ? "" : this.text.slice(s, e);
  }

  /** All groups as strings. */
  strings(): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.count; k++) out.push(this.str(k));
    return out;
  }

  push(start: number, end: number): void {
    if (this.count === this.start.length) {
      const grow = (a: Int32Array) => {
        const n = new Int32Array(a.length * 2);
        n.set(a);
        return n;
      };
      this.start = grow(this.start);
      this.end = grow(this.end);
    }
    this.start[this.count] = start;
    this.end[this.count] = end;
    this.count++;
  }
}

/**
 * Reads the groups `(a)(b)…` from `open` to the end of the line into `groups` (after the groups already there when
 * `append`). Returns the index of the line's `\n` (or `end`), or -1 when the line is not groups followed only by
 * whitespace.
 */
export function scanGroups(b: Uint8Array, open: number, end: number, groups: LineGroups, append = false): number {
  if (!append) groups.count = 0;
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
    groups.push(start, j);
    i = j + 1;
  }
  while (i < end && b[i] !== LF && isSpace(b[i]!)) i++;
  return i === end || b[i] === LF ? i : -1;
}
