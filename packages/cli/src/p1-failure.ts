/**
 * Turns the codec's typed errors into the CLI's exit codes and one clear sentence each (issue text: 2
 * authentication, 3 CRC, 4 malformed). Messages come from packages/p1, which never puts a key in them.
 */
import { AuthenticationError, CrcError, FrameFormatError, P1Error, ParseError } from "@smarty/p1";
import { CliError, EXIT } from "./command.js";

/** @param what `frame` or `telegram`, for the malformed-input sentence. */
export function p1Failure(err: unknown, what: "frame" | "telegram" = "frame"): unknown {
  if (!(err instanceof P1Error)) return err;
  if (err instanceof AuthenticationError) {
    // The p1 message already says "authentication failed … the P1 key is wrong or the frame was altered".
    return new CliError(err.message, EXIT.authentication, { cause: err });
  }
  if (err instanceof CrcError) {
    return new CliError(`${err.message}, so the telegram was altered or cut on the way`, EXIT.crc, { cause: err });
  }
  if (err instanceof FrameFormatError || err instanceof ParseError) {
    const at = err.offset === undefined ? "" : ` (byte ${err.offset})`;
    return new CliError(`malformed ${what}${at}: ${err.message}`, EXIT.format, { cause: err });
  }
  return new CliError(err.message, EXIT.format, { cause: err });
}
