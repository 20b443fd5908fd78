/**
 * The MQTT side of the exporter: every meter's reading and statistics, the ingest health and status topics, through the
 * service kit's `subscribe` (topic check, validation against the topic map, empty retained payloads). A bad message
 * is counted in smarty_exporter_messages_rejected_total{reason}, logged once per burst, and changes nothing already
 * accepted. Resubscription after a broker restart is done by the MQTT client (MqttConnection).
 */
import {
  type BurstLogger,
  type Component,
  type Logger,
  type MqttConnection,
  route,
  type Subscription,
  subscribe,
} from "@smarty/service-kit";
import type { Counter } from "prom-client";
import type { IngestStatus } from "./ingest-status.js";
import type { RejectReason } from "./metrics-registry.js";
import type { ReadingCache } from "./reading-cache.js";
import type { StatisticsCache } from "./statistics-cache.js";

export interface SubscriberOptions {
  readonly connection: MqttConnection;
  readonly cache: ReadingCache;
  readonly statistics: StatisticsCache;
  readonly ingest: IngestStatus;
  readonly rejected: Counter<"reason">;
  readonly burst: BurstLogger;
  readonly logger: Logger;
}

export class ReadingSubscriber implements Component {
  readonly name = "subscriber";
  private readonly log: Logger;
  private subscription: Subscription | undefined;

  constructor(private readonly o: SubscriberOptions) {
    this.log = o.logger.child({ component: "subscriber" });
  }

  /** Registers the subscriptions; does not wait for the broker, so /metrics serves while it is away. */
  start(): void {
    const { cache, statistics, ingest } = this.o;
    this.subscription = subscribe({
      connection: this.o.connection,
      burst: this.o.burst,
      logger: this.log,
      rejected: (reason) => this.o.rejected.inc({ reason: reason as RejectReason }),
      routes: [
        route("reading", {
          message: (reading, { meterId }, { retained }) => void cache.put(reading, retained, meterId),
          // Removing a meter removes all of it: its calendar-period statistics too, which the notifier keeps
          // retained for a meter it no longer hears from.
          cleared: ({ meterId }, { topic }) => {
            const removed = cache.removeByTopic(meterId);
            if (statistics.remove(meterId) || removed) this.log.info({ topic }, "meter removed");
          },
        }),
        route("statistics", {
          message: (s, { meterId }) => statistics.put(meterId, s),
          cleared: ({ meterId }) => void statistics.remove(meterId),
        }),
        route("ingestHealth", {
          message: (health, { instance }) => ingest.setHealth(instance, health),
          cleared: ({ instance }) => ingest.clearHealth(instance),
        }),
        route("ingestStatus", {
          message: (status, { instance }) => ingest.setStatus(instance, status),
          cleared: ({ instance }) => ingest.clearStatus(instance),
        }),
      ],
    });
  }

  /** Resolves once the broker acknowledged the subscriptions (for tests and start-up ordering). */
  whenSubscribed(): Promise<void> {
    return this.subscription?.subscribed ?? Promise.resolve();
  }

  stop(): void {}
}
