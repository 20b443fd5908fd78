/**
 * A capture file or stdin. `speed: "max"` passes the bytes on as fast as they are read (with flow control, so a
 * week-long capture never outruns the publish queue); `speed: "real"` cuts the stream at frame ends and hands out
 * one frame per `intervalMs`, the meter's own pace, so a capture can stand in for a meter.
 */
import { EventEmitter } from "node:events";
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { FrameSplitter } from "@smarty/p1";
import type { Clock, Logger, TimerHandle } from "@smarty/service-kit";
import type { ByteSource, ByteSourceEvents } from "./byte-source.js";

export interface FileSourceOptions {
  /** Path, or `-` for stdin. */
  readonly path: string;
  readonly speed: "max" | "real";
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Stream to read instead of the path (tests, stdin). */
  readonly stream?: Readable;
}

/** Segments queued ahead of the pacer before the file read is paused. */
const PACE_HIGH_WATER = 32;
/** Bytes without a frame end handed out as one segment, so junk cannot grow the buffer. */
const MAX_SEGMENT = 64 * 1024;

export class FileSource extends EventEmitter<ByteSourceEvents> implements ByteSource {
  readonly name = "source";
  readonly description: string;
  readonly reconnects = 0;
  readonly retrying = false;
  private stream: Readable | undefined;
  private open = false;
  private ended = false;
  private paused = false;
  /** Bytes read so far (progress of a replay). */
  bytesRead = 0;
  // Pacing state (speed "real").
  private readonly segments: Buffer[] = [];
  private raw: Buffer = Buffer.alloc(0);
  private rawStart = 0;
  private cut = 0;
  private readonly cutter: FrameSplitter;
  private timer: TimerHandle | undefined;
  private eof = false;

  constructor(private readonly options: FileSourceOptions) {
    super();
    this.description = options.path === "-" ? "stdin" : `file://${options.path}`;
    this.cutter = new FrameSplitter({
      onFrame: (f) => this.cutAt(f.offset + f.bytes.length),
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  start(): void {
    const stream: Readable =
      this.options.stream ?? (this.options.path === "-" ? process.stdin : createReadStream(this.options.path));
    this.stream = stream;
    stream.on("error", (err) => {
      this.options.logger.error({ err: { message: err.message }, source: this.description }, "source read failed");
      this.finish();
    });
    stream.on("end", () => this.onEof());
    stream.on("data", (chunk: Buffer | string) => {
      const b = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : chunk;
      this.bytesRead += b.length;
      if (this.options.speed === "max") this.emit("data", b);
      else this.pace(b);
    });
    this.open = true;
    this.emit("open");
  }

  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    this.open = false;
    if (stream && stream !== process.stdin) stream.destroy();
    else stream?.pause();
  }

  pause(): void {
    this.paused = true;
    this.stream?.pause();
  }

  resume(): void {
    this.paused = false;
    if (this.options.speed === "max" || this.segments.length < PACE_HIGH_WATER) this.stream?.resume();
  }

  private onEof(): void {
    if (this.options.speed === "max") {
      this.finish();
      return;
    }
    this.eof = true;
    const rest = this.raw.subarray(this.cut - this.rawStart);
    if (rest.length > 0) this.segments.push(Buffer.from(rest));
    this.raw = Buffer.alloc(0);
    this.schedule();
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.open = false;
    this.emit("end");
  }

  private pace(chunk: Buffer): void {
    this.raw = this.raw.length === 0 ? chunk : Buffer.concat([this.raw, chunk]);
    this.cutter.push(chunk);
    if (this.raw.length - (this.cut - this.rawStart) > MAX_SEGMENT) this.cutAt(this.rawStart + this.raw.length);
    // Drop what has been cut; keep the partial frame.
    const keep = this.cut - this.rawStart;
    if (keep > 0) {
      this.raw = this.raw.subarray(keep);
      this.rawStart = this.cut;
    }
    if (this.segments.length >= PACE_HIGH_WATER) this.stream?.pause();
    this.schedule();
  }

  private cutAt(end: number): void {
    if (end <= this.cut) return;
    this.segments.push(Buffer.from(this.raw.subarray(this.cut - this.rawStart, end - this.rawStart)));
    this.cut = end;
  }

  /** First segment at once, then one per interval. */
  private schedule(): void {
    if (this.timer !== undefined || !this.open) return;
    if (this.segments.length === 0) {
      if (this.eof) this.finish();
      return;
    }
    this.emitSegment();
    this.timer = this.options.clock.setTimeout(() => this.tick(), this.options.intervalMs);
  }

  private tick(): void {
    this.timer = undefined;
    this.schedule();
  }

  private emitSegment(): void {
    const seg = this.segments.shift();
    if (seg) this.emit("data", seg);
    if (!this.paused && this.segments.length < PACE_HIGH_WATER / 4) this.stream?.resume();
  }
}
