/**
 * A byte source: where the P1 stream comes from (serial port, TCP bridge, capture file). Sources only move bytes;
 * the pipeline finds frames in them. Sources that can disappear (a USB cable pulled, a bridge rebooted) reopen by
 * themselves with back-off, every timer going through the injected Clock.
 */
import { EventEmitter } from "node:events";
import type { Clock, Component, Logger, TimerHandle } from "@smarty/service-kit";
import { BurstLogger } from "@smarty/service-kit";

export interface ByteSourceEvents {
  data: [chunk: Buffer];
  /** The source is open and bytes may flow. */
  open: [];
  /** The source was lost (unplugged, connection closed, idle); a reconnecting source reopens by itself. */
  lost: [reason: string];
  /** A finite source (file, stdin) has delivered everything. */
  end: [];
}

export interface ByteSource extends Component, EventEmitter<ByteSourceEvents> {
  /** For logs and the health topic; never contains credentials. */
  readonly description: string;
  readonly isOpen: boolean;
  /** Times the source was reopened after being lost. */
  readonly reconnects: number;
  /** A reopen is waiting for its back-off delay. */
  readonly retrying: boolean;
  /** Why the last open attempt failed, for people (`smarty doctor`); undefined once open. */
  readonly lastError?: string | undefined;
  /** Flow control for sources that can wait (files); live sources ignore it. */
  pause?(): void;
  resume?(): void;
}

/** Exponential back-off between reopen attempts: min, 2·min, 4·min … capped at max. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  next(): number {
    const ms = Math.min(this.maxMs, this.minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return ms;
  }

  reset(): void {
    this.attempt = 0;
  }
}

export interface ReconnectOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
}

/**
 * Base of sources that reopen: `start()` opens (or schedules a retry), `lost()` schedules a reopen after back-off,
 * `stop()` cancels everything. Subclasses implement `openOnce()` and `closeOnce()`.
 */
export abstract class ReconnectingSource extends EventEmitter<ByteSourceEvents> implements ByteSource {
  readonly name = "source";
  abstract readonly description: string;
  reconnects = 0;
  lastError: string | undefined;
  private open = false;
  private everOpened = false;
  private stopped = true;
  private timer: TimerHandle | undefined;
  private closing: Promise<void> = Promise.resolve();
  private readonly backoff: Backoff;
  protected readonly log: Logger;
  private readonly burst: BurstLogger;

  constructor(protected readonly options: ReconnectOptions) {
    super();
    this.backoff = new Backoff(options.reconnectMinMs ?? 1000, options.reconnectMaxMs ?? 60_000);
    this.log = options.logger.child({ component: "source" });
    this.burst = new BurstLogger(this.log, options.clock, 300_000);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** A reopen is scheduled and waiting for its back-off delay. */
  get retrying(): boolean {
    return this.timer !== undefined;
  }

  /** Opens the underlying device; rejects when it is not there (yet). */
  protected abstract openOnce(): Promise<void>;
  /** Closes it and removes listeners; must not emit `lost`. */
  protected abstract closeOnce(): Promise<void>;

  start(): void {
    this.stopped = false;
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.burst.flush();
    if (this.open) {
      this.open = false;
      await this.closeOnce().catch((err: unknown) => this.log.warn({ err }, "source close failed"));
    }
  }

  /** For subclasses: bytes arrived. */
  protected data(chunk: Buffer): void {
    if (this.open) this.emit("data", chunk);
  }

  /** For subclasses: the device went away; closes it and schedules a reopen. */
  protected lost(reason: string): void {
    if (!this.open || this.stopped) return;
    this.open = false;
    this.log.warn({ source: this.description, reason }, "source lost");
    this.emit("lost", reason);
    // The reopen timer starts now (time is the injected clock's); the attempt waits for the close to finish.
    this.closing = this.closeOnce().catch((err: unknown) => this.log.debug({ err }, "source close after loss failed"));
    this.schedule();
  }

  private async attempt(): Promise<void> {
    this.timer = undefined;
    await this.closing;
    if (this.stopped) return;
    try {
      await this.openOnce();
    } catch (err) {
      this.lastError = (err as Error).message;
      this.burst.warn(
        "open_failed",
        { source: this.description, err: { message: (err as Error).message } },
        "source cannot be opened",
      );
      this.schedule();
      return;
    }
    if (this.stopped) {
      await this.closeOnce().catch(() => undefined);
      return;
    }
    this.open = true;
    this.lastError = undefined;
    this.backoff.reset();
    if (this.everOpened) this.reconnects++;
    this.everOpened = true;
    this.log.info({ source: this.description, reconnects: this.reconnects }, "source open");
    this.emit("open");
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    const delay = this.backoff.next();
    this.timer = this.options.clock.setTimeout(() => void this.attempt(), delay);
  }
}
