/**
 * The MQTT side of the exporter: subscribes to every meter's reading and to the ingest health and status topics,
 * validates each message at the edge (`decodePayload` / `decodeText`, packages/contracts) and updates the caches.
 * A bad message is counted in smarty_exporter_messages_rejected_total{reason}, logged once per burst, and changes
 * nothing already accepted. Resubscription after a broker restart is done by the MQTT client (MqttConnection).
 */
import {
  decodePayload,
  decodeReadingMessage,
  decodeText,
  filters,
  ingestHealthSchema,
  parseTopic,
  statusSchema,
} from "@smarty/contracts";
import type { BurstLogger, Component, Logger, MessageHandler, MqttConnection } from "@smarty/service-kit";
import type { Counter } from "prom-client";
import type { IngestStatus } from "./ingest-status.js";
import type { RejectReason } from "./metrics-registry.js";
import type { ReadingCache } from "./reading-cache.js";

export interface SubscriberOptions {
  readonly connection: MqttConnection;
  readonly cache: ReadingCache;
  readonly ingest: IngestStatus;
  readonly rejected: Counter<"reason">;
  readonly burst: BurstLogger;
  readonly logger: Logger;
}

export class ReadingSubscriber implements Component {
  readonly name = "subscriber";
  private readonly log: Logger;
  private subscribed: Promise<void> = Promise.resolve();

  constructor(private readonly o: SubscriberOptions) {
    this.log = o.logger.child({ component: "subscriber" });
  }

  /** Registers the subscriptions; does not wait for the broker, so /metrics serves while it is away. */
  start(): void {
    const base = this.o.connection.baseTopic;
    const routes: [string, MessageHandler][] = [
      [filters.readings(base), (t, p, r) => this.onReading(t, p, r)],
      [filters.health(base, "ingest"), (t, p) => this.onHealth(t, p)],
      [filters.status(base, "ingest"), (t, p) => this.onStatus(t, p)],
    ];
    this.subscribed = Promise.all(routes.map(([filter, handler]) => this.o.connection.subscribe(filter, handler))).then(
      () => this.log.info({ filters: routes.map(([f]) => f) }, "subscribed"),
      (err: unknown) => this.log.error({ err }, "subscribe failed"),
    );
  }

  /** Resolves once the broker acknowledged the subscriptions (for tests and start-up ordering). */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  stop(): void {}

  private onReading(topic: string, payload: Buffer, retained: boolean): void {
    const m = decodeReadingMessage(this.o.connection.baseTopic, topic, payload);
    if (m.kind === "rejected") this.reject(m.reason, topic, m.error);
    else if (m.kind === "removed") {
      if (this.o.cache.removeByTopic(m.meterId)) this.log.info({ topic }, "meter removed");
    } else this.o.cache.put(m.reading, retained, m.meterId);
  }

  private onHealth(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.o.connection.baseTopic, topic);
    if (parsed?.type !== "health") {
      this.reject("topic", topic, "not a health topic");
      return;
    }
    if (payload.length === 0) {
      this.o.ingest.clearHealth(parsed.instance);
      return;
    }
    const decoded = decodePayload(ingestHealthSchema, payload);
    if (!decoded.ok) {
      this.reject(decoded.reason, topic, decoded.error);
      return;
    }
    this.o.ingest.setHealth(parsed.instance, decoded.value);
  }

  private onStatus(topic: string, payload: Buffer): void {
    const parsed = parseTopic(this.o.connection.baseTopic, topic);
    if (parsed?.type !== "status") {
      this.reject("topic", topic, "not a status topic");
      return;
    }
    if (payload.length === 0) {
      this.o.ingest.clearStatus(parsed.instance);
      return;
    }
    const decoded = decodeText(statusSchema, payload);
    if (!decoded.ok) {
      this.reject(decoded.reason, topic, decoded.error);
      return;
    }
    this.o.ingest.setStatus(parsed.instance, decoded.value);
  }

  private reject(reason: RejectReason, topic: string, error: string): void {
    this.o.rejected.inc({ reason });
    this.o.burst.warn(`rejected_${reason}`, { topic, reason, error }, "message rejected");
  }
}
