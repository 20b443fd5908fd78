/**
 * Statistics and alert engine over a real Redis with a ManualClock: `feed` sets the clock to the reading's time,
 * folds the reading into the statistics and runs the alert rules, as the notifier does for each MQTT reading.
 */
import { randomUUID } from "node:crypto";
import type { Alert, IngestHealth } from "@smarty/contracts";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { Redis } from "ioredis";
import { AlertEngine } from "../../src/alerts/alert-engine.js";
import { AlertService } from "../../src/alerts/alert-service.js";
import { AlertStore } from "../../src/alerts/alert-store.js";
import { type FileConfig, parseFileConfig } from "../../src/config-file.js";
import { StatisticsEngine } from "../../src/statistics/statistics-engine.js";
import { StatisticsStore } from "../../src/statistics/statistics-store.js";
import { METER, type SimValues, simReading } from "./readings.js";

export interface AlertHarness {
  readonly clock: ManualClock;
  readonly config: FileConfig;
  readonly published: Alert[];
  readonly notified: Alert[];
  readonly service: AlertService;
  readonly stats: StatisticsEngine;
  feed(t: number, v: SimValues): Promise<void>;
  health(h: Partial<IngestHealth>): Promise<void>;
  /** Same Redis and prefix, fresh objects: a notifier restart. */
  restart(): Promise<AlertHarness>;
  close(): Promise<void>;
}

export async function alertHarness(
  redisUrl: string,
  yaml: string,
  start: number,
  prefix = `t${randomUUID()}:`,
): Promise<AlertHarness> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  const clock = new ManualClock(start);
  const config = parseFileConfig(yaml);
  const published: Alert[] = [];
  const notified: Alert[] = [];
  const stats = new StatisticsEngine(new StatisticsStore(redis, prefix), {
    tariff: config.tariff,
    maxGapMs: config.statistics.max_gap,
    minPhaseVoltageV: config.statistics.min_phase_voltage_v,
  });
  const store = new AlertStore(redis, prefix);
  const engine = new AlertEngine({
    store,
    rules: config.alerts.rules,
    clock,
    log: silentLogger(),
    publish: async (a) => void published.push(a),
    notify: async (a) => void notified.push(a),
  });
  const service = new AlertService({
    engine,
    store,
    config,
    clock,
    log: silentLogger(),
    knownMeters: () => stats.meters(),
    dayHistory: (meterId, from, to) => stats.store.historyRange(meterId, "day", from, to),
    tickMs: 5000,
  });
  await service.start();
  const h: AlertHarness = {
    clock,
    config,
    published,
    notified,
    service,
    stats,
    async feed(t, v) {
      clock.set(t);
      const reading = simReading(t, v);
      const r = await stats.process(METER, reading, t);
      await service.onReading(METER, reading, r.sample, stats.quarterProgress(METER));
      if (r.closed.length > 0) await service.onPeriodsClosed(METER, r.closed);
    },
    async health(partial) {
      await service.onHealth({
        instance: "main",
        state: "ok",
        source: "test",
        started_at: new Date(start).toISOString(),
        updated_at: new Date(clock.now()).toISOString(),
        last_frame_at: null,
        frames_ok: 0,
        authentication_failures: 0,
        crc_failures: 0,
        format_errors: 0,
        replays: 0,
        missed_frames: 0,
        meter_changes: 0,
        stale_readings: 0,
        bytes: 0,
        skipped_bytes: 0,
        reconnects: 0,
        queue_length: 0,
        dropped_readings: 0,
        meters: [METER],
        ...partial,
      });
    },
    async restart() {
      await service.stop();
      const next = await alertHarness(redisUrl, yaml, clock.now(), prefix);
      await redis.quit();
      return next;
    },
    async close() {
      await service.stop();
      await redis.quit();
    },
  };
  return h;
}

/** Notifications as `[alert id, state]` pairs, for compact assertions. */
export const states = (alerts: readonly Alert[]) => alerts.map((a) => [a.id, a.state]);
