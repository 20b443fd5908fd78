/**
 * The notifier's core: readings and ingest health in from MQTT, statistics and alert rules, statistics out
 * (retained, throttled per meter), commands answered. It is also the chat bot's backend (BotBackend): the bot reads
 * the latest values and statistics from here and asks for mutes and reports.
 */
import { type Alert, type IngestHealth, type PeriodKind, type Statistics, statisticsSchema } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import {
  type BurstLogger,
  type Clock,
  type Component,
  type Logger,
  type MqttConnection,
  rawRoute,
  route,
  type Subscription,
  subscribe,
  type TimerHandle,
} from "@smarty/service-kit";
import type { AlertService } from "./alerts/alert-service.js";
import { runCommand } from "./commands.js";
import type { BotBackend } from "./ports.js";
import type { ReportService } from "./reports/report-service.js";
import type { StatisticsEngine } from "./statistics/statistics-engine.js";

export interface NotifierCoreOptions {
  readonly mqtt: Pick<MqttConnection, "subscribe" | "send" | "connected" | "baseTopic">;
  readonly stats: StatisticsEngine;
  readonly alerts: AlertService;
  readonly reports: ReportService;
  readonly clock: Clock;
  readonly log: Logger;
  readonly burst: BurstLogger;
  /** Least interval between two statistics publications of one meter. */
  readonly publishIntervalMs: number;
}

interface Latest {
  readonly reading: Reading;
  readonly receivedAt: number;
}

export class NotifierCore implements Component, BotBackend {
  readonly name = "core";
  private readonly latestByMeter = new Map<string, Latest>();
  private readonly stats = new Map<string, Statistics>();
  private readonly lastPublished = new Map<string, number>();
  /** A throttled update is published when the interval ends, so the last readings before a silence are not lost. */
  private readonly trailing = new Map<string, TimerHandle>();
  /** By the instance of the health topic, so that an emptied topic removes its entry. */
  private readonly health = new Map<string, IngestHealth>();
  private subscription: Subscription | undefined;
  /** Messages rejected at the edge (topic, size, JSON, schema). */
  rejected = 0;
  /** Readings ignored because their meter time ran ahead of what the clocks allow (meter-clock.ts). */
  clockSuspect = 0;

  constructor(private readonly o: NotifierCoreOptions) {}

  /** Registers the subscriptions without waiting for the broker (mqtt.js subscribes once connected). */
  start(): void {
    this.subscription = subscribe({
      connection: this.o.mqtt,
      burst: this.o.burst,
      logger: this.o.log,
      rejected: () => void this.rejected++,
      routes: [
        // An emptied retained reading topic has nothing to count: statistics keep the meter's history.
        route("reading", { message: (reading) => this.accept(reading) }),
        route("ingestHealth", {
          message: (health, { instance }) => {
            this.health.set(instance, health);
            return this.o.alerts.onHealth(health);
          },
          cleared: ({ instance }) => void this.health.delete(instance),
        }),
        // A retained command would run again on every reconnect; a bad one is answered with an error.
        rawRoute("notifierCommand", (payload) => this.onCommand(payload)),
      ],
    });
  }

  /** Resolves once the broker acknowledged the subscriptions. */
  whenSubscribed(): Promise<void> {
    return this.subscription?.subscribed ?? Promise.resolve();
  }

  stop(): void {
    for (const t of this.trailing.values()) this.o.clock.clearTimeout(t);
    this.trailing.clear();
  }

  /** A message on a reading topic, as the subscription delivers it. */
  async onReading(topic: string, payload: Buffer): Promise<void> {
    await this.requireSubscription().deliver("reading", topic, payload);
  }

  /** A message on an ingest health topic, as the subscription delivers it. */
  async onHealth(topic: string, payload: Buffer): Promise<void> {
    await this.requireSubscription().deliver("ingestHealth", topic, payload);
  }

  private requireSubscription(): Subscription {
    if (!this.subscription) throw new Error("notifier core not started");
    return this.subscription;
  }

  private async accept(reading: Reading): Promise<void> {
    const meterId = reading.meter_id;
    const now = this.o.clock.now();
    const r = await this.o.stats.process(meterId, reading, now);
    if (r.suspect) {
      // Neither statistics nor freshness move: the next real reading must still be newer than the last one.
      this.clockSuspect++;
      this.o.burst.warn(
        "reading_clock",
        {
          meter_id: meterId,
          meter_time: reading.time,
          ahead_ms: Math.round(r.suspect.aheadMs),
          wall_clock_synced: r.suspect.wallSynced,
          suspect: this.clockSuspect,
        },
        "reading ignored: meter time ahead of the clocks",
      );
      await this.o.alerts.suspectReading(meterId, r.sample.t, r.suspect.aheadMs, r.suspect.wallSynced);
      return;
    }
    if (r.reanchored) {
      this.o.log.warn(
        { meter_id: meterId, meter_time: reading.time },
        "meter time taken as the new anchor: steady, but the host clock cannot confirm it",
      );
    }
    if (!r.accepted) {
      // A retained or repeated reading, already counted; after a restart it still tells the bot the last values.
      if (!this.latestByMeter.has(meterId)) {
        this.latestByMeter.set(meterId, { reading, receivedAt: r.sample.t });
        const s = await this.o.stats.statistics(meterId, now);
        if (s) this.stats.set(meterId, s);
      }
      return;
    }
    this.latestByMeter.set(meterId, { reading, receivedAt: now });
    await this.o.alerts.onReading(meterId, reading, r.sample, this.o.stats.quarterProgress(meterId));
    const statistics = await this.o.stats.statistics(meterId, now);
    if (!statistics) return;
    this.stats.set(meterId, statistics);
    const last = this.lastPublished.get(meterId);
    if (r.closed.length > 0 || last === undefined || now - last >= this.o.publishIntervalMs) {
      await this.publishNow(meterId, now);
    } else if (!this.trailing.has(meterId)) {
      const wait = last + this.o.publishIntervalMs - now;
      this.trailing.set(
        meterId,
        this.o.clock.setTimeout(() => {
          this.publishNow(meterId, this.o.clock.now()).catch((err: unknown) =>
            this.o.log.warn({ err }, "statistics publish failed"),
          );
        }, wait),
      );
    }
  }

  private async publishNow(meterId: string, at: number): Promise<void> {
    const pending = this.trailing.get(meterId);
    if (pending !== undefined) this.o.clock.clearTimeout(pending);
    this.trailing.delete(meterId);
    const statistics = this.stats.get(meterId);
    if (!statistics) return;
    this.lastPublished.set(meterId, at);
    await this.publishStatistics(statistics);
  }

  private async publishStatistics(s: Statistics): Promise<void> {
    const checked = statisticsSchema.safeParse(s);
    if (!checked.success) {
      this.o.log.error(
        { meter_id: s.meter_id, error: checked.error.issues[0]?.message },
        "statistics fail their schema",
      );
      return;
    }
    await this.o.mqtt.send("statistics", { meterId: s.meter_id }, s);
  }

  async onCommand(payload: Buffer): Promise<void> {
    const response = await runCommand(this, payload);
    this.o.log.info({ status: response.status, error: response.error }, "command handled");
    await this.o.mqtt.send("notifierResponse", {}, response);
  }

  // ---- BotBackend ----

  meters(): readonly string[] {
    return [...this.latestByMeter.keys()].sort();
  }

  /** The meter asked for, or the one heard from last. */
  private pick<T>(map: Map<string, T>, meterId?: string): T | undefined {
    if (meterId !== undefined) return map.get(meterId);
    let best: string | undefined;
    for (const [m, l] of this.latestByMeter)
      if (!best || l.receivedAt > (this.latestByMeter.get(best)?.receivedAt ?? 0)) best = m;
    return best === undefined ? undefined : map.get(best);
  }

  latest(meterId?: string): Reading | undefined {
    return this.pick(this.latestByMeter, meterId)?.reading;
  }

  latestReceivedAt(meterId?: string): number | undefined {
    return this.pick(this.latestByMeter, meterId)?.receivedAt;
  }

  statistics(meterId?: string): Statistics | undefined {
    return this.pick(this.stats, meterId);
  }

  ingestHealth(): readonly IngestHealth[] {
    return [...this.health.values()];
  }

  brokerConnected(): boolean {
    return this.o.mqtt.connected;
  }

  activeAlerts(): readonly Alert[] {
    return this.o.alerts.engine.active();
  }

  mute(durationMs: number): void {
    this.o.alerts.engine.mute(durationMs).catch((err: unknown) => this.o.log.error({ err }, "mute not saved"));
  }

  unmute(): void {
    this.o.alerts.engine.unmute().catch((err: unknown) => this.o.log.error({ err }, "unmute not saved"));
  }

  mutedUntil(): number | null {
    return this.o.alerts.engine.mutedUntil();
  }

  requestReport(period: PeriodKind, at?: number): Promise<string> {
    return this.o.reports.request(period, at);
  }
}
