/**
 * What every `smarty` command is: a name, a one-line summary, a usage text and `run(argv, io)` returning the exit
 * code. Commands never touch `process` directly; they get their streams, environment, clock and stop signal in
 * `io`, so tests run them in-process with fake stdio.
 *
 * Exit codes follow sysexits.h where one fits (64 usage, 66 no input, 70 internal, 74 I/O) and add the codec's
 * own: 2 authentication failed, 3 CRC mismatch, 4 malformed frame.
 */
import type { Readable, Writable } from "node:stream";
import type { DoctorOptions } from "@smarty/ingest-core";

export const EXIT = {
  ok: 0,
  authentication: 2,
  crc: 3,
  format: 4,
  usage: 64,
  noInput: 66,
  internal: 70,
  io: 74,
} as const;

export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly and release what they hold. */
  readonly signal: AbortSignal;
  /** Wall clock in ms since epoch (telegram times of `simulate` follow it). */
  readonly now: () => number;
  /** Binary output is refused on a terminal. */
  readonly stdoutIsTty: boolean;
  /** Timers of commands that wait (the doctor's listening and progress); the system clock when absent. */
  readonly clock?: DoctorOptions["clock"];
}

export interface Command {
  readonly name: string;
  /** One line for `smarty help`. */
  readonly summary: string;
  /** Full help text, printed by `smarty <name> --help`. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** Bad command line: exit 64 with the message and a pointer to `--help`. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** A failure with a known exit code and a one-sentence message for stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CliError";
  }
}

/** Writes one line to stderr, prefixed with the command (`smarty decode: …`). */
export function say(io: Pick<CliIo, "stderr">, command: string, message: string): void {
  io.stderr.write(`smarty ${command}: ${message}\n`);
}
