/**
 * The MQTT side of the display: readings, the notifier's statistics, and the ingest's health and status. Every
 * message is validated at the edge (`decodePayload` / `decodeText`, packages/contracts); a bad one is counted by
 * reason, logged once per burst, and changes nothing already accepted.
 */
import {
  decodePayload,
  decodeReadingMessage,
  decodeText,
  filters,
  ingestHealthSchema,
  parseTopic,
  statisticsSchema,
  statusSchema,
} from "@smarty/contracts";
import type { BurstLogger, Component, Logger, MessageHandler, MqttConnection } from "@smarty/service-kit";
import type { MeterStore } from "./meter-store.js";

export type RejectReason = "too_large" | "json" | "schema" | "topic" | "full";

export interface SubscriberOptions {
  readonly connection: MqttConnection;
  readonly store: MeterStore;
  readonly burst: BurstLogger;
  readonly logger: Logger;
}

export class DisplaySubscriber implements Component {
  readonly name = "subscriber";
  /** Rejected messages since start, by reason (shown in /healthz). */
  readonly rejected: Record<RejectReason, number> = { too_large: 0, json: 0, schema: 0, topic: 0, full: 0 };
  private readonly log: Logger;
  private subscribed: Promise<void> = Promise.resolve();

  constructor(private readonly o: SubscriberOptions) {
    this.log = o.logger.child({ component: "subscriber" });
  }

  /** Registers the subscriptions without waiting for the broker, so the page serves while it is away. */
  start(): void {
    const base = this.o.connection.baseTopic;
    const routes: [string, MessageHandler][] = [
      [filters.readings(base), (t, p) => this.onReading(t, p)],
      [filters.statistics(base), (t, p) => this.onStatistics(t, p)],
      [filters.health(base, "ingest"), (t, p) => this.onHealth(t, p)],
      [filters.status(base, "ingest"), (t, p) => this.onStatus(t, p)],
    ];
    this.subscribed = Promise.all(routes.map(([f, h]) => this.o.connection.subscribe(f, h))).then(
      () => this.log.info({ filters: routes.map(([f]) => f) }, "subscribed"),
      // mqtt.js keeps the filters and subscribes again on every connect, so a broker that is away at start only
      // delays the subscription.
      (err: unknown) =>
        this.log.warn({ err: { message: (err as Error).message } }, "subscribe deferred until connected"),
    );
  }

  /** Resolves once the broker acknowledged the subscriptions (tests, start-up ordering). */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  stop(): void {}

  get rejectedTotal(): number {
    return Object.values(this.rejected).reduce((a, b) => a + b, 0);
  }

  private onReading(topic: string, payload: Buffer): void {
    const m = decodeReadingMessage(this.o.connection.baseTopic, topic, payload);
    if (m.kind === "rejected") this.reject(m.reason, topic, m.error);
    else if (m.kind === "removed") {
      if (this.o.store.removeMeter(m.meterId)) this.log.info({ topic }, "meter removed");
    } else if (!this.o.store.putReading(m.meterId, m.reading)) this.reject("full", topic, "too many meters");
  }

  private onStatistics(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.o.connection.baseTopic, topic);
    if (parsed?.type !== "statistics") {
      this.reject("topic", topic, "not a statistics topic");
      return;
    }
    if (payload.length === 0) {
      this.o.store.removeStatistics(parsed.meterId);
      return;
    }
    const decoded = decodePayload(statisticsSchema, payload);
    if (!decoded.ok) {
      this.reject(decoded.reason, topic, decoded.error);
      return;
    }
    if (!this.o.store.putStatistics(parsed.meterId, decoded.value)) this.reject("full", topic, "too many meters");
  }

  private onHealth(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.o.connection.baseTopic, topic);
    if (parsed?.type !== "health") {
      this.reject("topic", topic, "not a health topic");
      return;
    }
    if (payload.length === 0) {
      this.o.store.setIngestHealth(parsed.instance, undefined);
      return;
    }
    const decoded = decodePayload(ingestHealthSchema, payload);
    if (!decoded.ok) {
      this.reject(decoded.reason, topic, decoded.error);
      return;
    }
    if (!this.o.store.setIngestHealth(parsed.instance, decoded.value)) this.reject("full", topic, "too many ingests");
  }

  private onStatus(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.o.connection.baseTopic, topic);
    if (parsed?.type !== "status") {
      this.reject("topic", topic, "not a status topic");
      return;
    }
    if (payload.length === 0) {
      this.o.store.setIngestStatus(parsed.instance, undefined);
      return;
    }
    const decoded = decodeText(statusSchema, payload);
    if (!decoded.ok) {
      this.reject(decoded.reason, topic, decoded.error);
      return;
    }
    if (!this.o.store.setIngestStatus(parsed.instance, decoded.value)) this.reject("full", topic, "too many ingests");
  }

  private reject(reason: RejectReason, topic: string, error: string): void {
    this.rejected[reason]++;
    this.o.burst.warn(`rejected_${reason}`, { topic, reason, error }, "message rejected");
  }
}
