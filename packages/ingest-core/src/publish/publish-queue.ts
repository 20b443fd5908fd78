/**
 * The bounded, in-order outbox between the pipeline and the broker. Items are sent in order with up to `window`
 * in flight (QoS 1: an item is done when its PUBACKs came back); while the connection is down nothing new is sent
 * and items wait, up to `limit` items and `byteLimit` bytes (as `size` counts them). When full, the oldest waiting
 * item is dropped, counted and logged: a live meter cannot be paused, and the newest readings matter most.
 *
 * The bytes bound is what keeps the queue inside the container's memory: a count alone says nothing about the size of
 * a reading. A dropped or sent item's slot is cleared at once, so nothing queued keeps it reachable until compaction
 * (that would hold up to twice the limit).
 *
 * Items already handed to the MQTT client when the connection drops are kept by the client and resent on
 * reconnect (MQTT 3.1.1 §4.4), so the queue never resends them itself: that would duplicate them.
 */
import { EventEmitter } from "node:events";
import { BurstLogger, type Clock, type Logger } from "@smarty/service-kit";

export interface PublishQueueOptions<T> {
  readonly limit: number;
  /** Bytes of waiting and in-flight items (default unbounded). */
  readonly byteLimit?: number;
  /** Size of an item in bytes, for `byteLimit` (default 0). */
  readonly size?: (item: T) => number;
  /** Items in flight at once (default 64). */
  readonly window?: number;
  /** Readings a pausable source may run ahead of the broker (default 256). */
  readonly aheadLimit?: number;
  readonly send: (item: T) => Promise<void>;
  /** Whether sending is possible now (the broker connection is up). */
  readonly isOpen: () => boolean;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface InFlight {
  readonly size: number;
  done: boolean;
}

export class PublishQueue<T> extends EventEmitter<{ drain: []; room: [] }> {
  private readonly inflight: InFlight[] = [];
  /** Slots before `waitingHead` are cleared (undefined), so a sent or dropped item is released at once. */
  private waiting: (T | undefined)[] = [];
  private waitingHead = 0;
  private full = false;
  private readonly window: number;
  private readonly burst: BurstLogger;
  dropped = 0;
  failed = 0;
  published = 0;
  /** Bytes of the items waiting or in flight. */
  bytes = 0;

  constructor(private readonly options: PublishQueueOptions<T>) {
    super();
    this.window = options.window ?? 64;
    this.burst = new BurstLogger(options.logger.child({ component: "queue" }), options.clock, 60_000);
  }

  /** Items waiting or in flight. */
  get length(): number {
    return this.waitingCount + this.inflight.length;
  }

  /**
   * Sources that can wait (files) should pause until `room`: past half of the limit, and never more than a few
   * hundred readings ahead of the broker, so replaying a capture does not hold megabytes of JSON for nothing.
   */
  get congested(): boolean {
    return this.length >= this.highWater;
  }

  private get highWater(): number {
    return Math.min(Math.ceil(this.options.limit / 2), this.options.aheadLimit ?? 256);
  }

  private get waitingCount(): number {
    return this.waiting.length - this.waitingHead;
  }

  /** The oldest waiting item. */
  peekOldest(): T | undefined {
    return this.waitingCount > 0 ? this.waiting[this.waitingHead] : undefined;
  }

  /** The newest waiting item. */
  peekNewest(): T | undefined {
    return this.waitingCount > 0 ? this.waiting[this.waiting.length - 1] : undefined;
  }

  enqueue(item: T): void {
    const size = this.sizeOf(item);
    const byteLimit = this.options.byteLimit ?? Number.POSITIVE_INFINITY;
    const fields = { limit: this.options.limit, byte_limit: this.options.byteLimit };
    if (size > byteLimit || (this.waitingCount === 0 && this.isFull(size, byteLimit))) {
      // Only items in flight are left, and those belong to the MQTT client now: the new one cannot be kept.
      this.dropped++;
      this.burst.warn("overflow", { ...fields, bytes: size }, "publish queue full: reading dropped");
      return;
    }
    let dropped = 0;
    while (this.waitingCount > 0 && this.isFull(size, byteLimit)) {
      const oldest = this.waiting[this.waitingHead] as T;
      this.waiting[this.waitingHead] = undefined;
      this.waitingHead++;
      this.bytes -= this.sizeOf(oldest);
      dropped++;
    }
    if (dropped > 0) {
      this.dropped += dropped;
      this.burst.warn(
        "overflow",
        { ...fields, dropped_total: this.dropped },
        "publish queue full: oldest reading dropped",
      );
    }
    this.waiting.push(item);
    this.bytes += size;
    if (this.congested) this.full = true;
    this.pump();
  }

  private isFull(size: number, byteLimit: number): boolean {
    return this.length >= this.options.limit || this.bytes + size > byteLimit;
  }

  private sizeOf(item: T): number {
    return this.options.size?.(item) ?? 0;
  }

  /** Sends what the window allows; call when the connection (re)opens. */
  pump(): void {
    while (this.inflight.length < this.window && this.waitingCount > 0 && this.options.isOpen()) {
      const item = this.waiting[this.waitingHead] as T;
      this.waiting[this.waitingHead] = undefined;
      this.waitingHead++;
      const entry: InFlight = { size: this.sizeOf(item), done: false };
      this.inflight.push(entry);
      this.options.send(item).then(
        () => {
          this.published++;
          this.complete(entry);
        },
        (err: unknown) => {
          this.failed++;
          this.burst.warn("publish_failed", { err: { message: (err as Error)?.message } }, "publish failed");
          this.complete(entry);
        },
      );
    }
    this.compact();
  }

  /** Resolves with the number of items still queued once drained or after `timeoutMs`. */
  flush(timeoutMs: number): Promise<number> {
    this.pump();
    if (this.length === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const done = () => {
        this.options.clock.clearTimeout(timer);
        this.off("drain", done);
        resolve(this.length);
      };
      const timer = this.options.clock.setTimeout(done, timeoutMs);
      this.on("drain", done);
    });
  }

  /** Writes open burst summaries. */
  flushLogs(): void {
    this.burst.flush();
  }

  private complete(entry: InFlight): void {
    entry.done = true;
    this.bytes -= entry.size;
    while (this.inflight.length > 0 && this.inflight[0]!.done) this.inflight.shift();
    this.pump();
    if (this.full && this.length <= Math.floor(this.highWater / 4)) {
      this.full = false;
      this.emit("room");
    }
    if (this.length === 0) this.emit("drain");
  }

  private compact(): void {
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitingHead);
      this.waitingHead = 0;
    }
  }
}
