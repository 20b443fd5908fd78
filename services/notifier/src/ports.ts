/**
 * The seams inside the notifier: statistics/rules (the core) on one side, delivery channels (email, XMPP) and the
 * chat bot on the other. Channels never read MQTT or Redis themselves; the core never speaks SMTP or XMPP.
 */
import type { Alert, IngestHealth, PeriodKind, Statistics } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";

export type ChannelName = "email" | "xmpp";

/** A message waiting in the Redis outbox; stored before the first attempt, removed after acceptance. */
export interface OutboxMessage {
  readonly id: string;
  readonly channel: ChannelName;
  /** Recipient: an email address or a bare JID. */
  readonly to: string;
  readonly created_at: string;
  readonly attempts: number;
  /** Channel-specific content, JSON-serialisable. */
  readonly payload: OutboxPayload;
}

export type OutboxPayload =
  | {
      readonly kind: "report";
      readonly period: PeriodKind;
      readonly meter_id: string;
      readonly subject: string;
      readonly text: string;
      readonly html?: string;
      readonly attachments?: readonly { filename: string; content_type: string; base64: string }[];
    }
  | { readonly kind: "alert"; readonly alert: Alert; readonly text: string }
  | { readonly kind: "chat"; readonly text: string };

export interface Outbox {
  /**
   * Stores a message for delivery. `dedupeKey` makes enqueueing idempotent (the same alert episode or report
   * period is stored once even if the notifier restarts in between).
   */
  enqueue(channel: ChannelName, to: string, payload: OutboxPayload, dedupeKey?: string): Promise<string | undefined>;
}

/** Thrown by a channel for a failure worth retrying later (server down); anything else is permanent. */
export class TemporaryDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TemporaryDeliveryError";
  }
}

/** A delivery channel used by the outbox worker. */
export interface DeliveryChannel {
  readonly channel: ChannelName;
  /** False while the channel's server is unreachable; the worker waits instead of burning attempts. */
  readonly available: boolean;
  /** Delivers one message; throws TemporaryDeliveryError to retry with back-off, another Error to give up. */
  deliver(message: OutboxMessage): Promise<void>;
}

/** What the chat bot may ask of the core. Everything is read-only except mute and report. */
export interface BotBackend {
  meters(): readonly string[];
  latest(meterId?: string): Reading | undefined;
  /** When the latest reading arrived (ms since epoch), for "last reading age". */
  latestReceivedAt(meterId?: string): number | undefined;
  statistics(meterId?: string): Statistics | undefined;
  ingestHealth(): readonly IngestHealth[];
  brokerConnected(): boolean;
  activeAlerts(): readonly Alert[];
  mute(durationMs: number): void;
  unmute(): void;
  mutedUntil(): number | null;
  /** Sends the report of the period so far by email now; resolves to a short human answer. */
  /** Mails the report of the period containing `at` (default now). */
  requestReport(period: PeriodKind, at?: number): Promise<string>;
}
