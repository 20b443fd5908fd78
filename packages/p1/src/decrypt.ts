/**
 * AES-128-GCM decryption of a Smarty frame (Luxmetering P1 spec v1.1.3 §3.3; DLMS Green Book §9.2.7.2.4.5,
 * security suite 0, security control 0x30 = authenticated and encrypted).
 *
 * IV  = system title (8) ‖ frame counter (4)
 * AAD = security control 0x30 ‖ authentication key AK (16); AK is the same for every Smarty meter,
 *       00112233445566778899AABBCCDDEEFF, but stays configurable.
 * Tag = the last 12 bytes of the frame (truncated GCM tag).
 */
import { createDecipheriv } from "node:crypto";
import { AuthenticationError, FrameFormatError } from "./errors.js";
import { ENCRYPTED_HEADER_BYTES } from "./frame-splitter.js";

export const DEFAULT_AUTHENTICATION_KEY = "00112233445566778899AABBCCDDEEFF";
export const GCM_TAG_BYTES = 12;
const SECURITY_CONTROL = 0x30;
/** AAD of every Smarty meter, built once: decrypting runs for every frame. */
const DEFAULT_AAD = Buffer.from(`30${DEFAULT_AUTHENTICATION_KEY}`, "hex");

export interface DecryptOptions {
  /** The customer's P1 key (16 bytes). */
  readonly key: Uint8Array;
  /** Authentication key for the AAD; the Smarty default when omitted. */
  readonly authenticationKey?: Uint8Array;
  /**
   * Verify the GCM tag (default). Some meters are reported to fail the tag check (dsmr_parser, Home Assistant
   * issues); turning it off is an explicit, logged choice and the DSMR CRC then carries the integrity check.
   */
  readonly verifyTag?: boolean;
}

export interface FrameHeader {
  readonly systemTitle: Buffer;
  readonly frameCounter: number;
  /** Total frame length in bytes, 13 + L. */
  readonly length: number;
}

export interface DecryptedFrame extends FrameHeader {
  readonly plaintext: Buffer;
}

/** Parses and checks the 18-byte header; throws FrameFormatError naming the offending offset. */
export function parseFrameHeader(frame: Uint8Array): FrameHeader {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length < ENCRYPTED_HEADER_BYTES + GCM_TAG_BYTES) {
    throw new FrameFormatError(`frame is ${buf.length} bytes, shorter than header and tag (30)`, {
      offset: buf.length,
    });
  }
  if (buf[0] !== 0xdb)
    throw new FrameFormatError(`expected tag 0xDB at offset 0, found 0x${hex(buf[0]!)}`, { offset: 0 });
  if (buf[1] !== 0x08) {
    throw new FrameFormatError(`expected system title length 8 at offset 1, found ${buf[1]}`, { offset: 1 });
  }
  if (buf[10] !== 0x82) {
    throw new FrameFormatError(`expected length form 0x82 at offset 10, found 0x${hex(buf[10]!)}`, { offset: 10 });
  }
  const length = 13 + buf.readUInt16BE(11);
  if (length !== buf.length) {
    throw new FrameFormatError(`length field says ${length} bytes, frame has ${buf.length}`, { offset: 11 });
  }
  if (buf[13] !== SECURITY_CONTROL) {
    throw new FrameFormatError(`expected security control 0x30 at offset 13, found 0x${hex(buf[13]!)}`, { offset: 13 });
  }
  return { systemTitle: Buffer.from(buf.subarray(2, 10)), frameCounter: buf.readUInt32BE(14), length };
}

/** Decrypts one complete frame. Throws AuthenticationError when the tag does not verify. */
export function decryptFrame(frame: Uint8Array, options: DecryptOptions): DecryptedFrame {
  if (options.key.length !== 16) throw new FrameFormatError(`key must be 16 bytes, got ${options.key.length}`);
  const header = parseFrameHeader(frame);
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const iv = Buffer.allocUnsafe(12);
  buf.copy(iv, 0, 2, 10);
  buf.copy(iv, 8, 14, 18);
  const ciphertext = buf.subarray(ENCRYPTED_HEADER_BYTES, buf.length - GCM_TAG_BYTES);
  const tag = buf.subarray(buf.length - GCM_TAG_BYTES);
  const aad = options.authenticationKey
    ? Buffer.concat([Buffer.of(SECURITY_CONTROL), options.authenticationKey])
    : DEFAULT_AAD;
  const decipher = createDecipheriv("aes-128-gcm", options.key, iv, { authTagLength: GCM_TAG_BYTES });
  decipher.setAAD(aad);
  // GCM is CTR mode underneath: update() returns the whole plaintext; final() only checks the tag.
  const plaintext = decipher.update(ciphertext);
  if (options.verifyTag !== false) {
    decipher.setAuthTag(tag);
    try {
      decipher.final();
    } catch (cause) {
      throw new AuthenticationError(
        "authentication failed: the GCM tag does not match, so the P1 key is wrong or the frame was altered",
        { cause, offset: buf.length - GCM_TAG_BYTES },
      );
    }
  }
  // Named fields rather than a spread: one fixed shape, made without copying the header object (per frame).
  return { systemTitle: header.systemTitle, frameCounter: header.frameCounter, length: header.length, plaintext };
}

function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, "0");
}

/** Parses a 32-hex-digit key into bytes; throws FrameFormatError naming what is wrong (never the key itself). */
export function parseKey(text: string, name = "key"): Buffer {
  const t = text.trim();
  if (!/^[0-9a-fA-F]{32}$/.test(t)) {
    throw new FrameFormatError(`${name} must be 32 hexadecimal digits (16 bytes), got ${t.length} characters`);
  }
  return Buffer.from(t, "hex");
}
