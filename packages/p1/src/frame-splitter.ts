/**
 * Splits a P1 byte stream, delivered in chunks of any size, into frames.
 *
 * Encrypted frames (Luxmetering P1 spec v1.1.3 §3.3, DLMS general-glo-ciphering):
 *
 * | offset | bytes | content                                   |
 * |--------|-------|-------------------------------------------|
 * | 0      | 1     | 0xDB tag                                  |
 * | 1      | 1     | 0x08 system title length                  |
 * | 2      | 8     | system title                              |
 * | 10     | 1     | 0x82 (length in the next two bytes)       |
 * | 11     | 2     | L, big endian: bytes after this field     |
 * | 13     | 1     | 0x30 security control                     |
 * | 14     | 4     | frame counter                             |
 * | 18     | L-17  | ciphertext                                |
 * | 13+L-12| 12    | GCM tag                                   |
 *
 * Plaintext telegrams (DSMR 5.0.2 §6.2) run from `/` to `!` followed by four hex CRC digits (absent before DSMR 4).
 * A `/` counts as the start of one only when the identification `XXXZ` follows it (three letters, a digit).
 *
 * The output is the same whatever the chunking: every decision uses only bytes inside the candidate frame.
 * A frame cut short and followed by a new one is detected by the next header inside its body (same system title
 * for encrypted frames, a new `/` for telegrams) and reported as `truncated`. Memory is bounded by `maxFrameBytes`.
 */

export type FrameKind = "encrypted" | "plaintext";

export interface SplitFrame {
  readonly kind: FrameKind;
  readonly bytes: Buffer;
  /** Offset of the first byte in the whole stream. */
  readonly offset: number;
}

export type SkipReason = "junk" | "truncated" | "oversize";

export interface SkipEvent {
  readonly reason: SkipReason;
  readonly bytes: number;
  readonly offset: number;
}

export interface FrameSplitterOptions {
  /** Largest frame accepted; longer candidates are skipped. Default 8192 (a Lux frame is about 1.2 kB). */
  readonly maxFrameBytes?: number;
  readonly onFrame: (frame: SplitFrame) => void;
  readonly onSkip?: (skip: SkipEvent) => void;
}

const TAG = 0xdb;
const SLASH = 0x2f;
const BANG = 0x21;
const CR = 0x0d;
const LF = 0x0a;
export const ENCRYPTED_HEADER_BYTES = 18;
/** Header fields after L (security control + frame counter) plus the 12-byte tag: the smallest valid L. */
const MIN_LENGTH_FIELD = 5 + 12;

/** `/` and `XXXZ`: three letters of the manufacturer, then the baud rate character, a digit (DSMR 5.0.2 §6.2). */
const IDENTIFICATION_BYTES = 5;

function isLetter(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** Checks the bytes of `/XXXZ` that are available (the parser's rule for the identification line). */
function identificationPlausible(buf: Buffer, at: number, n: number): boolean {
  for (let k = 1; k < n; k++) {
    const b = buf[at + k]!;
    if (k < 4 ? !isLetter(b) : !(b >= 0x30 && b <= 0x39)) return false;
  }
  return true;
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}

export class FrameSplitter {
  private readonly max: number;
  /** Bytes not yet consumed are buf[pos, fill); the buffer is reused and grows only for a larger frame. */
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private fill = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private junk = 0;
  private junkOffset = 0;
  /** Right after a frame, CR/LF belong to it and are not junk. */
  private afterFrame = false;
  /** How far a plaintext candidate has been scanned, relative to its start. */
  private scanned = 0;

  constructor(private readonly options: FrameSplitterOptions) {
    this.max = options.maxFrameBytes ?? 8192;
  }

  /** Bytes held for an incomplete frame (bounded by maxFrameBytes plus one chunk). */
  get pendingBytes(): number {
    return this.fill - this.pos;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.fill - this.pos;
    if (this.fill + chunk.length > this.buf.length) {
      // Move the pending bytes to the front, into a larger buffer when they and the chunk do not fit. Copying
      // only here keeps a frame that arrives in many small serial reads linear in its length.
      const target =
        rest + chunk.length > this.buf.length
          ? Buffer.allocUnsafe(Math.max(rest + chunk.length, 2 * this.max))
          : this.buf;
      this.buf.copy(target, 0, this.pos, this.fill);
      this.buf = target;
      this.base += this.pos;
      this.pos = 0;
      this.fill = rest;
    }
    this.buf.set(chunk, this.fill);
    this.fill += chunk.length;
    this.process(false);
  }

  /** End of stream: a pending partial frame is reported as truncated, pending junk as junk. */
  end(): void {
    this.process(true);
    const rest = this.fill - this.pos;
    if (rest > 0) this.skip("truncated", rest);
    this.flushJunk();
  }

  /** Drops a pending partial frame (for example after an idle timeout of the source) and reports it. */
  reset(): void {
    const rest = this.fill - this.pos;
    if (rest > 0) this.skip("truncated", rest);
    this.flushJunk();
    this.afterFrame = false;
  }

  private process(atEnd: boolean): void {
    while (this.pos < this.fill) {
      const b = this.buf[this.pos]!;
      if (b === TAG) {
        if (!this.tryEncrypted(atEnd)) return;
      } else if (b === SLASH) {
        if (!this.tryPlaintext(atEnd)) return;
      } else {
        if (!(this.afterFrame && (b === CR || b === LF))) this.addJunk(1);
        else this.pos++;
      }
    }
  }

  /** Returns false when more bytes are needed. */
  private tryEncrypted(atEnd: boolean): boolean {
    const avail = this.fill - this.pos;
    const headerOk = this.headerPlausible(this.pos, Math.min(avail, ENCRYPTED_HEADER_BYTES));
    if (!headerOk) {
      this.addJunk(1);
      return true;
    }
    if (avail < ENCRYPTED_HEADER_BYTES) return atEnd ? this.giveUp() : false;
    const total = 13 + this.buf.readUInt16BE(this.pos + 11);
    if (avail < total) return atEnd ? this.giveUp() : false;
    const next = this.nextEncryptedHeader(total);
    if (next > 0) {
      this.skip("truncated", next);
      return true;
    }
    this.emit("encrypted", total);
    return true;
  }

  /** Checks the header bytes that are available; a 0xDB in junk usually fails within two bytes. */
  private headerPlausible(at: number, n: number): boolean {
    const buf = this.buf;
    if (n > 1 && buf[at + 1] !== 0x08) return false;
    if (n > 10 && buf[at + 10] !== 0x82) return false;
    if (n > 12) {
      const len = buf.readUInt16BE(at + 11);
      if (len < MIN_LENGTH_FIELD || 13 + len > this.max) return false;
    }
    if (n > 13 && buf[at + 13] !== 0x30) return false;
    return true;
  }

  /** Offset (>0) inside the candidate where a header with the same system title starts, or 0. */
  private nextEncryptedHeader(total: number): number {
    const buf = this.buf;
    const start = this.pos;
    const last = start + total - 10;
    // indexOf is a native byte search; the bound keeps stale bytes after `fill` out of every decision.
    for (let at = buf.indexOf(TAG, start + 1); at >= 0 && at <= last; at = buf.indexOf(TAG, at + 1)) {
      const k = at - start;
      if (buf[at + 1] !== 0x08) continue;
      if (buf.compare(buf, start + 2, start + 10, at + 2, at + 10) !== 0) continue;
      if (k <= total - ENCRYPTED_HEADER_BYTES && !this.headerPlausible(at, ENCRYPTED_HEADER_BYTES)) continue;
      return k;
    }
    return 0;
  }

  private tryPlaintext(atEnd: boolean): boolean {
    const buf = this.buf;
    const start = this.pos;
    const end = this.fill;
    if (this.scanned === 0) {
      // A '/' in line noise (the tail of a frame cut off by a restart, ciphertext) is not a telegram: it must open a
      // DSMR identification line, `/XXXZ` (DSMR 5.0.2 §6.2). Otherwise a later '!' would make it one.
      const avail = Math.min(end - start, IDENTIFICATION_BYTES);
      if (!identificationPlausible(buf, start, avail)) {
        this.addJunk(1);
        return true;
      }
      if (avail < IDENTIFICATION_BYTES) return atEnd ? this.giveUp() : false;
    }
    for (let i = start + Math.max(1, this.scanned); i < end; i++) {
      const b = buf[i]!;
      if (b === SLASH || b === TAG) {
        this.skip("truncated", i - start);
        return true;
      }
      if (b === BANG) {
        let j = i + 1;
        while (j < end && j <= i + 4 && isHexDigit(buf[j]!)) j++;
        const crcDigits = j - i - 1;
        if (crcDigits < 4 && j === end && !atEnd) {
          this.scanned = i - start;
          return false;
        }
        this.emit("plaintext", (crcDigits === 4 ? i + 5 : i + 1) - start);
        return true;
      }
      if (i - start + 1 >= this.max) {
        this.skip("oversize", i - start + 1);
        return true;
      }
    }
    this.scanned = end - start;
    return atEnd ? this.giveUp() : false;
  }

  private giveUp(): boolean {
    this.skip("truncated", this.fill - this.pos);
    return true;
  }

  private emit(kind: FrameKind, length: number): void {
    this.flushJunk();
    const offset = this.base + this.pos;
    const bytes = Buffer.from(this.buf.subarray(this.pos, this.pos + length));
    this.pos += length;
    this.scanned = 0;
    this.afterFrame = true;
    this.options.onFrame({ kind, bytes, offset });
  }

  private skip(reason: SkipReason, bytes: number): void {
    this.flushJunk();
    const offset = this.base + this.pos;
    this.pos += bytes;
    this.scanned = 0;
    this.afterFrame = false;
    this.options.onSkip?.({ reason, bytes, offset });
  }

  private addJunk(n: number): void {
    if (this.junk === 0) this.junkOffset = this.base + this.pos;
    this.junk += n;
    this.pos += n;
    this.afterFrame = false;
    if (this.junk >= this.max) this.flushJunk();
  }

  private flushJunk(): void {
    if (this.junk === 0) return;
    const skip: SkipEvent = { reason: "junk", bytes: this.junk, offset: this.junkOffset };
    this.junk = 0;
    this.options.onSkip?.(skip);
  }
}
