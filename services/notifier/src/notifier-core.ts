/**
 * The notifier's core: readings and ingest health in from MQTT, statistics and alert rules, statistics out
 * (retained, throttled per meter), commands answered. It is also the chat bot's backend (BotBackend): the bot reads
 * the latest values and statistics from here and asks for mutes and reports.
 */
import {
  type Alert,
  decodePayload,
  decodeReadingMessage,
  filters,
  type IngestHealth,
  ingestHealthSchema,
  type PeriodKind,
  type Statistics,
  statisticsSchema,
  topics,
} from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import type {
  BurstLogger,
  Clock,
  Component,
  Logger,
  MessageHandler,
  MqttConnection,
  TimerHandle,
} from "@smarty/service-kit";
import type { AlertService } from "./alerts/alert-service.js";
import { runCommand } from "./commands.js";
import type { BotBackend } from "./ports.js";
import type { ReportService } from "./reports/report-service.js";
import type { StatisticsEngine } from "./statistics/statistics-engine.js";

export interface NotifierCoreOptions {
  readonly mqtt: Pick<MqttConnection, "subscribe" | "publish" | "connected" | "baseTopic">;
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
  private readonly health = new Map<string, IngestHealth>();
  private subscribed: Promise<void> = Promise.resolve();
  /** Readings rejected at the edge (size, JSON, schema). */
  rejected = 0;
  /** Readings ignored because their meter time ran ahead of what the clocks allow (meter-clock.ts). */
  clockSuspect = 0;

  constructor(private readonly o: NotifierCoreOptions) {}

  /** Registers the subscriptions without waiting for the broker (mqtt.js subscribes once connected). */
  start(): void {
    const base = this.o.mqtt.baseTopic;
    const routes: [string, MessageHandler][] = [
      [filters.readings(base), (_t, p) => this.onReading(_t, p)],
      [filters.health(base, "ingest"), (t, p) => this.onHealth(t, p)],
      [topics.notifierCommand(base), (_t, p, retained) => (retained ? undefined : this.onCommand(p))],
    ];
    this.subscribed = Promise.all(routes.map(([f, h]) => this.o.mqtt.subscribe(f, h))).then(
      () => this.o.log.info({ filters: routes.map(([f]) => f) }, "subscribed"),
      (err: unknown) => this.o.log.error({ err }, "subscribe failed"),
    );
  }

  /** Resolves once the broker acknowledged the subscriptions. */
  whenSubscribed(): Promise<void> {
    return this.subscribed;
  }

  stop(): void {
    for (const t of this.trailing.values()) this.o.clock.clearTimeout(t);
    this.trailing.clear();
  }

  async onReading(topic: string, payload: Buffer): Promise<void> {
    const m = decodeReadingMessage(this.o.mqtt.baseTopic, topic, payload);
    if (m.kind === "removed") return; // an emptied retained topic: nothing to count
    if (m.kind === "rejected") {
      this.rejected++;
      this.o.burst.warn(`reading_${m.reason}`, { topic, reason: m.reason, error: m.error }, "reading rejected");
      return;
    }
    const reading = m.reading;
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
    await this.o.mqtt.publish(topics.statistics(this.o.mqtt.baseTopic, s.meter_id), JSON.stringify(s), {
      retain: true,
    });
  }

  onHealth(topic: string, payload: Buffer): Promise<void> | undefined {
    const decoded = decodePayload(ingestHealthSchema, payload);
    if (!decoded.ok) {
      this.o.burst.warn("health_rejected", { topic, error: decoded.error }, "ingest health rejected");
      return undefined;
    }
    this.health.set(decoded.value.instance, decoded.value);
    return this.o.alerts.onHealth(decoded.value);
  }

  async onCommand(payload: Buffer): Promise<void> {
    const response = await runCommand(this, payload);
    this.o.log.info({ status: response.status, error: response.error }, "command handled");
    await this.o.mqtt.publish(topics.notifierResponse(this.o.mqtt.baseTopic), JSON.stringify(response));
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
