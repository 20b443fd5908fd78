/**
 * The MQTT side of the display: readings, the notifier's statistics, and the ingest's health and status, through
 * the service kit's `subscribe` (topic check, validation against the topic map, empty retained payloads). A bad
 * message is counted by reason, logged once per burst, and changes nothing already accepted; so is one the store
 * has no room for ("full").
 */
import {
  type BurstLogger,
  type Component,
  type Logger,
  type MqttConnection,
  type RouteContext,
  route,
  type Subscription,
  subscribe,
} from "@smarty/service-kit";
import type { MeterStore } from "./meter-store.js";

export type RejectReason = "too_large" | "json" | "schema" | "topic" | "full";

export interface SubscriberOptions {
  readonly connection: MqttConnection;
  readonly store: MeterStore;
  readonly burst: BurstLogger;
  readonly logger: Logger;
}

/** Rejects the message as "full" when the store refused it. */
function stored(accepted: boolean, ctx: RouteContext<RejectReason>, what: string): void {
  if (!accepted) ctx.reject("full", `too many ${what}`);
}

export class DisplaySubscriber implements Component {
  readonly name = "subscriber";
  /** Rejected messages since start, by reason (shown in /healthz). */
  readonly rejected: Record<RejectReason, number> = { too_large: 0, json: 0, schema: 0, topic: 0, full: 0 };
  private readonly log: Logger;
  private subscription: Subscription | undefined;

  constructor(private readonly o: SubscriberOptions) {
    this.log = o.logger.child({ component: "subscriber" });
  }

  /** Registers the subscriptions without waiting for the broker, so the page serves while it is away. */
  start(): void {
    const store = this.o.store;
    this.subscription = subscribe({
      connection: this.o.connection,
      burst: this.o.burst,
      logger: this.log,
      rejected: (reason) => this.rejected[reason as RejectReason]++,
      routes: [
        route<"reading", RejectReason>("reading", {
          message: (reading, { meterId }, ctx) => stored(store.putReading(meterId, reading), ctx, "meters"),
          cleared: ({ meterId }, { topic }) => {
            if (store.removeMeter(meterId)) this.log.info({ topic }, "meter removed");
          },
        }),
        route<"statistics", RejectReason>("statistics", {
          message: (statistics, { meterId }, ctx) => stored(store.putStatistics(meterId, statistics), ctx, "meters"),
          cleared: ({ meterId }) => store.removeStatistics(meterId),
        }),
        route<"ingestHealth", RejectReason>("ingestHealth", {
          message: (health, { instance }, ctx) => stored(store.setIngestHealth(instance, health), ctx, "ingests"),
          cleared: ({ instance }) => void store.setIngestHealth(instance, undefined),
        }),
        route<"ingestStatus", RejectReason>("ingestStatus", {
          message: (status, { instance }, ctx) => stored(store.setIngestStatus(instance, status), ctx, "ingests"),
          cleared: ({ instance }) => void store.setIngestStatus(instance, undefined),
        }),
      ],
    });
  }

  /** Resolves once the broker acknowledged the subscriptions (tests, start-up ordering). */
  whenSubscribed(): Promise<void> {
    return this.subscription?.subscribed ?? Promise.resolve();
  }

  stop(): void {}

  get rejectedTotal(): number {
    return Object.values(this.rejected).reduce((a, b) => a + b, 0);
  }
}
