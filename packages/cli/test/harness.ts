/**
 * Runs `smarty` commands in-process with fake stdio, for tests of every command (doctor and replay included):
 * stdin from a buffer, stdout and stderr captured, an injectable clock and an AbortController standing in for
 * SIGINT/SIGTERM. `startCli` returns while the command runs (servers, pacing); `runCliInProcess` waits for it.
 */
import { PassThrough, Readable } from "node:stream";
import type { CliIo, Command } from "../src/command.js";
import { COMMANDS, runCli } from "../src/main.js";

export interface CliRunOptions {
  /** Bytes on stdin (default: empty). */
  readonly stdin?: Buffer | string | Readable;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  readonly stdoutIsTty?: boolean;
  readonly commands?: readonly Command[];
  /** Timers and time of long-running commands (the doctor's listening); the system clock when absent. */
  readonly clock?: CliIo["clock"];
}

export interface CliResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

export interface RunningCli {
  /** Everything written to stdout so far. */
  stdout(): Buffer;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Stops the command the way SIGINT would. */
  abort(): void;
  readonly done: Promise<CliResult>;
}

function capture(): { stream: PassThrough; bytes: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

/** Starts a command line in-process. */
export function startCli(argv: readonly string[], options: CliRunOptions = {}): RunningCli {
  const out = capture();
  const err = capture();
  const controller = new AbortController();
  const stdin =
    options.stdin instanceof Readable
      ? options.stdin
      : Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const io: CliIo = {
    stdin,
    stdout: out.stream,
    stderr: err.stream,
    env: options.env ?? {},
    signal: controller.signal,
    now: options.now ?? (() => Date.now()),
    stdoutIsTty: options.stdoutIsTty ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const done = runCli(argv, io, options.commands ?? COMMANDS).then((code) => ({
    code,
    stdout: out.bytes(),
    stderr: err.bytes().toString(),
  }));
  return {
    stdout: out.bytes,
    stderr: () => err.bytes().toString(),
    abort: () => controller.abort(),
    done,
  };
}

/** Runs a command line in-process to the end. */
export function runCliInProcess(argv: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
  return startCli(argv, options).done;
}
