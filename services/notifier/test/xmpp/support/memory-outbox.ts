/**
 * A minimal in-memory outbox that honours the DeliveryChannel contract the way the Redis outbox worker does:
 * messages are stored before any attempt and delivered in order, one at a time; nothing is attempted while the
 * channel is unavailable; a TemporaryDeliveryError keeps the message for a later retry; any other error is final.
 * A message is removed only after `deliver` resolved, so each message is delivered once.
 */
import { randomUUID } from "node:crypto";
import {
  type ChannelName,
  type DeliveryChannel,
  type Outbox,
  type OutboxMessage,
  type OutboxPayload,
  TemporaryDeliveryError,
} from "../../../src/ports.js";

export class MemoryOutbox implements Outbox {
  readonly pending: OutboxMessage[] = [];
  readonly delivered: OutboxMessage[] = [];
  readonly failed: { message: OutboxMessage; error: Error }[] = [];
  /** Temporary failures seen (server down while attempting). */
  temporaryFailures = 0;
  private readonly keys = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;

  constructor(
    private readonly channel: DeliveryChannel,
    private readonly pollMs = 100,
  ) {}

  enqueue(channel: ChannelName, to: string, payload: OutboxPayload, dedupeKey?: string): Promise<string | undefined> {
    if (dedupeKey !== undefined) {
      if (this.keys.has(dedupeKey)) return Promise.resolve(undefined);
      this.keys.add(dedupeKey);
    }
    const id = randomUUID();
    this.pending.push({ id, channel, to, payload, created_at: new Date().toISOString(), attempts: 0 });
    return Promise.resolve(id);
  }

  start(): void {
    this.timer = setInterval(() => void this.pass(), this.pollMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async pass(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending.length > 0 && this.channel.available) {
        const message = this.pending[0];
        if (!message) break;
        try {
          await this.channel.deliver(message);
          this.pending.shift();
          this.delivered.push(message);
        } catch (err) {
          if (err instanceof TemporaryDeliveryError) {
            this.temporaryFailures++;
            this.pending[0] = { ...message, attempts: message.attempts + 1 };
            break;
          }
          this.pending.shift();
          this.failed.push({ message, error: err as Error });
        }
      }
    } finally {
      this.busy = false;
    }
  }
}
