/**
 * Delivers the outbox through the configured channels (email, XMPP). A channel that fails with a
 * TemporaryDeliveryError (server down) is paused with exponential back-off as a whole, so a queue of messages does
 * not burn one attempt per poll; any other error is permanent: the message goes to the dead list and `onFailed`
 * decides what to tell the household. Each channel has its own due queue and is served on its own, so a thousand
 * messages waiting for a server that is down never delay another channel's. Time comes from the injected clock.
 */
import {
  type BurstLogger,
  type Clock,
  type Component,
  formatDuration,
  type Logger,
  type TimerHandle,
} from "@smarty/service-kit";
import { type ChannelName, type DeliveryChannel, type OutboxMessage, TemporaryDeliveryError } from "../ports.js";

/** Every channel an outbox message can name (a message may wait for a channel no longer configured). */
const ALL_CHANNELS: readonly ChannelName[] = ["email", "xmpp"];
/** The queue of a channel that cannot deliver is scanned for messages past their age at most once a minute. */
const EXPIRY_SCAN_MAX_MS = 60_000;

import type { RedisOutbox } from "./redis-outbox.js";

export interface OutboxWorkerOptions {
  readonly outbox: RedisOutbox;
  readonly channels: readonly DeliveryChannel[];
  readonly clock: Clock;
  readonly log: Logger;
  readonly burst: BurstLogger;
  /** First retry delay after a temporary failure; doubles up to `retryMaxMs`. */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  /** Messages older than this are given up on. */
  readonly maxAgeMs: number;
  readonly pollMs?: number;
  readonly onDelivered?: (message: OutboxMessage) => void | Promise<void>;
  readonly onFailed?: (message: OutboxMessage, error: Error) => void | Promise<void>;
}

interface ChannelBackoff {
  failures: number;
  retryAt: number;
}

export class OutboxWorker implements Component {
  readonly name = "outbox";
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private readonly backoff = new Map<ChannelName, ChannelBackoff>();
  /** Delivered messages whose bookkeeping (complete, onDelivered) has not succeeded yet. */
  private readonly settling = new Map<string, { message: OutboxMessage; completed: boolean; notified: boolean }>();
  private readonly expiryScanAt = new Map<ChannelName, number>();
  private migrated = false;
  private readonly left: Partial<Record<ChannelName, number>> = {};
  /** Messages accepted by their server since start. */
  delivered = 0;

  constructor(private readonly o: OutboxWorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.o.outbox.onEnqueued = () => this.kick();
    this.timer = this.o.clock.setInterval(() => this.kick(), this.o.pollMs ?? 1000);
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.o.outbox.onEnqueued = undefined;
    if (this.timer) this.o.clock.clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    try {
      for (const c of ALL_CHANNELS) this.left[c] = await this.o.outbox.pending(c);
    } catch {
      // Redis is gone: what waits is unknown here, and stays in Redis anyway.
    }
  }

  /** After stop: messages still waiting per channel; they stay in Redis and go out after the next start. */
  unflushed(): Record<string, number> {
    return { ...this.left };
  }

  /** Runs a delivery pass now (or right after the one in progress). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no pass is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.pass();
      } catch (err) {
        this.o.burst.warn("outbox_pass", { err }, "outbox pass failed");
      }
    } while (this.again && !this.stopped);
  }

  private async pass(): Promise<void> {
    if (!this.migrated) {
      const moved = await this.o.outbox.migrate();
      if (moved > 0) this.o.log.info({ moved }, "outbox moved to per-channel queues");
      this.migrated = true;
    }
    const now = this.o.clock.now();
    for (const id of [...this.settling.keys()]) await this.settle(id);
    for (const name of ALL_CHANNELS) {
      if (this.stopped) return;
      const channel = this.o.channels.find((c) => c.channel === name);
      const paused = this.backoff.get(name);
      if (channel?.available && !(paused && paused.retryAt > now)) await this.serve(channel, now);
      else await this.expireOnly(name, now);
    }
  }

  /** Delivers the due messages of one channel until it pauses. */
  private async serve(channel: DeliveryChannel, now: number): Promise<void> {
    for (const message of await this.o.outbox.due(channel.channel, now)) {
      if (this.stopped) return;
      if (this.settling.has(message.id)) continue;
      if (this.expired(message, now)) {
        await this.giveUp(message, new Error(`not delivered within ${formatDuration(this.o.maxAgeMs)}`));
        continue;
      }
      const paused = this.backoff.get(channel.channel);
      if (!channel.available || (paused && paused.retryAt > now)) return;
      try {
        await channel.deliver(message);
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        if (error instanceof TemporaryDeliveryError) await this.pause(message, error, now);
        else await this.giveUp(message, error);
        continue;
      }
      this.backoff.delete(message.channel);
      this.delivered++;
      this.o.log.info(
        { id: message.id, channel: message.channel, attempts: message.attempts + 1 },
        "message delivered",
      );
      this.settling.set(message.id, { message, completed: false, notified: false });
      await this.settle(message.id);
    }
  }

  /**
   * The bookkeeping after a delivery: remove the message from the outbox, then tell `onDelivered`. Either may fail
   * (Redis away, the alert store); the server already has the message, so a failure is retried on the next pass
   * and the message is neither sent again nor dead-listed.
   */
  private async settle(id: string): Promise<void> {
    const s = this.settling.get(id);
    if (!s) return;
    try {
      if (!s.completed) await this.o.outbox.complete(s.message);
      s.completed = true;
      if (!s.notified) await this.o.onDelivered?.(s.message);
      s.notified = true;
      this.settling.delete(id);
    } catch (err) {
      this.o.burst.warn(
        "outbox_settle",
        { id, channel: s.message.channel, err: { message: err instanceof Error ? err.message : String(err) } },
        "message delivered, but its bookkeeping failed; will retry",
      );
    }
  }

  private expired(message: OutboxMessage, now: number): boolean {
    return now - Date.parse(message.created_at) > this.o.maxAgeMs;
  }

  /** A channel that cannot deliver (down, paused, not configured) still gives up on messages past their age. */
  private async expireOnly(name: ChannelName, now: number): Promise<void> {
    if ((this.expiryScanAt.get(name) ?? 0) > now) return;
    // 1/60 of the age limit keeps a give-up at most ~2 % late without reading the queue on every poll.
    this.expiryScanAt.set(name, now + Math.min(EXPIRY_SCAN_MAX_MS, Math.max(1000, this.o.maxAgeMs / 60)));
    for (const message of await this.o.outbox.due(name, now)) {
      if (this.stopped) return;
      if (!this.settling.has(message.id) && this.expired(message, now)) {
        await this.giveUp(message, new Error(`not delivered within ${formatDuration(this.o.maxAgeMs)}`));
      }
    }
  }

  private async pause(message: OutboxMessage, error: Error, now: number): Promise<void> {
    const b = this.backoff.get(message.channel) ?? { failures: 0, retryAt: now };
    b.failures++;
    const delay = Math.min(this.o.retryMaxMs, this.o.retryMinMs * 2 ** (b.failures - 1));
    b.retryAt = now + delay;
    this.backoff.set(message.channel, b);
    await this.o.outbox.retry(message, b.retryAt);
    this.o.burst.warn(
      `outbox_retry_${message.channel}`,
      { channel: message.channel, err: { message: error.message }, retry_in_ms: delay },
      "delivery failed, will retry",
    );
  }

  private async giveUp(message: OutboxMessage, error: Error): Promise<void> {
    await this.o.outbox.fail(message, error.message);
    this.o.log.error(
      { id: message.id, channel: message.channel, kind: message.payload.kind, err: { message: error.message } },
      "message not delivered",
    );
    await this.o.onFailed?.(message, error);
  }
}
