/**
 * Typed errors of the P1 codec. Every failure of the data path is one of these, with a `cause` where one exists,
 * so services can count by `reason` and never crash on bad bytes.
 */

/** Why a frame or telegram was rejected; also the `reason` label of the rejection counters. */
export type P1ErrorReason = "authentication" | "crc" | "format" | "parse";

export abstract class P1Error extends Error {
  abstract readonly reason: P1ErrorReason;
  /** Offset in the frame or telegram where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(message: string, options?: { cause?: unknown; offset?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.offset = options?.offset;
  }
}

/** The GCM tag did not verify: the key is wrong or the frame was altered. */
export class AuthenticationError extends P1Error {
  readonly reason = "authentication" as const;
}

/** The CRC-16 of the telegram does not match the one it carries (DSMR 5.0.2 §6.2). */
export class CrcError extends P1Error {
  readonly reason = "crc" as const;
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`CRC mismatch: telegram says ${expected}, content gives ${actual}`);
  }
}

/** The bytes are not a frame or telegram of the expected layout. */
export class FrameFormatError extends P1Error {
  readonly reason = "format" as const;
}

/** A telegram line could not be understood (kept in the reading's `unparsed` list where possible). */
export class ParseError extends P1Error {
  readonly reason = "parse" as const;
}

/** Normalises anything thrown inside the codec into a P1Error. */
export function toP1Error(err: unknown): P1Error {
  if (err instanceof P1Error) return err;
  return new FrameFormatError(err instanceof Error ? err.message : String(err), { cause: err });
}
