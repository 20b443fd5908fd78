/**
 * One call from a split frame to a reading: decrypt and verify (encrypted frames), check the CRC, parse.
 * Plaintext telegrams (other countries, or a decrypting dongle in front) go straight to the parser.
 */
import { decryptFrame } from "./decrypt.js";
import { parseTelegram } from "./dsmr-parser.js";
import { AuthenticationError } from "./errors.js";
import type { SplitFrame } from "./frame-splitter.js";
import type { Reading } from "./reading.js";

export interface DecoderOptions {
  /** The P1 key for every meter on the stream. */
  readonly key?: Uint8Array;
  /** Per-meter keys by system title (16 hex digits, lower case), for a shared bus; tried before `key`. */
  readonly keysBySystemTitle?: ReadonlyMap<string, Uint8Array>;
  readonly authenticationKey?: Uint8Array;
  /** Verify the GCM tag (default true). */
  readonly verifyTag?: boolean;
  /** Verify the DSMR CRC (default true). */
  readonly verifyCrc?: boolean;
}

export interface DecodedFrame {
  readonly reading: Reading;
  /** The telegram bytes (decrypted for encrypted frames). */
  readonly telegram: Buffer;
}

/** The system title of an encrypted frame: bytes 2…10 after tag and length (Luxmetering P1 spec v1.1.3 §3.2). */
export function frameSystemTitle(bytes: Buffer): string {
  return bytes.subarray(2, 10).toString("hex");
}

/** The P1 key for frames of this system title: its own key on a shared bus, else the stream's key. */
export function keyForSystemTitle(systemTitle: string, options: DecoderOptions): Uint8Array | undefined {
  return options.keysBySystemTitle?.get(systemTitle) ?? options.key;
}

/** Whether any P1 key is configured (the stream's or a meter's). */
export function hasP1Key(options: DecoderOptions): boolean {
  return options.key !== undefined || (options.keysBySystemTitle?.size ?? 0) > 0;
}

/** Decodes one frame from the splitter. Throws a P1Error subclass on any failure. */
export function decodeFrame(frame: Pick<SplitFrame, "kind" | "bytes">, options: DecoderOptions = {}): DecodedFrame {
  if (frame.kind === "plaintext") {
    return { reading: parseTelegram(frame.bytes, options), telegram: frame.bytes };
  }
  const systemTitle = frameSystemTitle(frame.bytes);
  const key = keyForSystemTitle(systemTitle, options);
  if (!key) {
    throw new AuthenticationError(`encrypted frame from system title ${systemTitle} but no P1 key is configured`);
  }
  const decrypted = decryptFrame(frame.bytes, {
    key,
    ...(options.authenticationKey ? { authenticationKey: options.authenticationKey } : {}),
    verifyTag: options.verifyTag !== false,
  });
  const reading = parseTelegram(decrypted.plaintext, {
    verifyCrc: options.verifyCrc !== false || options.verifyTag === false,
  });
  // Appended last, as in the JSON form; assigning avoids copying the ~60 keys of the reading.
  // The system title was read from the same bytes (2…10) that decryptFrame checked.
  (reading as { frame?: Reading["frame"] }).frame = {
    system_title: systemTitle,
    frame_counter: decrypted.frameCounter,
  };
  return { reading, telegram: decrypted.plaintext };
}
