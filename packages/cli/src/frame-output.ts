/**
 * Where simulated frames go. Every output has the same small lifecycle (start, write, stop) so the CLI, the demo
 * and tests can swap a file for a TCP server or a pty without touching the pacing loop.
 */
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";

export interface FrameOutput {
  /** For messages: `stdout`, a file name, `tcp://127.0.0.1:40123`, a pty path. */
  readonly description: string;
  /** True once the output can take no more (the reader of stdout went away): the loop stops. */
  readonly closed: boolean;
  start(): Promise<void>;
  /** Resolves when the bytes are handed over; outputs that must not block (network, pty) resolve at once. */
  write(bytes: Buffer): Promise<void>;
  stop(): Promise<void>;
}

/** A writable stream (stdout, a file): waits for `drain`, so `--speed max` never buffers without bound. */
export class StreamOutput implements FrameOutput {
  private ended = false;
  private failure: Error | undefined;

  constructor(
    readonly description: string,
    private readonly stream: Writable,
    /** End the stream on stop (files); stdout is left open. */
    private readonly endOnStop: boolean,
  ) {}

  /** Output to a file, created or truncated. */
  static file(path: string): StreamOutput {
    return new StreamOutput(path, createWriteStream(path), true);
  }

  get closed(): boolean {
    return this.ended || this.failure !== undefined;
  }

  /** The error that closed the output, if any (EPIPE is a normal end, not a failure). */
  get error(): Error | undefined {
    return this.failure;
  }

  async start(): Promise<void> {
    this.stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") this.ended = true;
      else this.failure = err;
    });
    // A file stream opens asynchronously; report a bad path before the first frame.
    if ("pending" in this.stream && (this.stream as { pending: boolean }).pending) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once("ready", resolve);
        this.stream.once("error", reject);
      });
    }
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.closed) return;
    if (this.stream.write(bytes)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        this.stream.off("error", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("close", done);
      this.stream.on("error", done);
    });
  }

  async stop(): Promise<void> {
    if (!this.endOnStop || this.stream.destroyed) return;
    await new Promise<void>((resolve) => this.stream.end(resolve));
  }
}
