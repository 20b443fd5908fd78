import { randomUUID } from "node:crypto";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { type RedisServer, startRedis } from "@smarty/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFileConfig } from "../../src/config-file.js";
import { RedisOutbox } from "../../src/outbox/redis-outbox.js";
import type { OutboxMessage } from "../../src/ports.js";
import { ReportScheduler, reportDueAt } from "../../src/reports/report-scheduler.js";
import { ReportService } from "../../src/reports/report-service.js";
import { StatisticsEngine } from "../../src/statistics/statistics-engine.js";
import { StatisticsStore } from "../../src/statistics/statistics-store.js";
import { METER, simReading } from "../helpers/readings.js";

const utc = (s: string) => Date.parse(s);
const MIN = 60_000;
// Sunday 2026-10-25 (25 hours) closes a day and a week at 2026-10-25T23:00Z.
const DAY_END = utc("2026-10-25T23:00:00Z");

describe("report schedule", () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  it("computes due times after the boundary or at a local time", () => {
    const cfg = parseFileConfig("reports: {day: {delay: 5m}, week: {at: '07:30'}}").reports;
    expect(reportDueAt(DAY_END, cfg.day)).toBe(DAY_END + 5 * MIN);
    expect(reportDueAt(DAY_END, cfg.week)).toBe(utc("2026-10-26T06:30:00Z")); // 07:30 CET
  });

  it("sends each closed period once, also across a restart", async () => {
    const prefix = `r${randomUUID()}:`;
    const clock = new ManualClock(utc("2026-10-25T20:00:00Z"));
    const stats = new StatisticsEngine(new StatisticsStore(client, prefix), {
      maxGapMs: 2 * MIN,
      minPhaseVoltageV: 50,
    });
    const outbox = new RedisOutbox(client, prefix, () => clock.now());
    const queued: OutboxMessage[] = [];
    const schedule = parseFileConfig(
      "reports: {day: {delay: 5m}, week: {delay: 15m}, month: {enabled: false}}",
    ).reports;
    const scheduler = (): ReportScheduler =>
      new ReportScheduler({
        reports: new ReportService({ stats, outbox, recipients: ["alice@example.org"], clock, log: silentLogger() }),
        schedule,
        clock,
        log: silentLogger(),
      });
    for (let t = utc("2026-10-25T20:00:00Z"); t <= DAY_END + MIN; t += MIN) {
      await stats.process(METER, simReading(t, { import_kwh: 100 + (t - utc("2026-10-25T20:00:00Z")) / 3_600_000 }), t);
    }
    const due = async () => {
      const ids = await client.zrange(`${prefix}outbox:due:email`, "0", "-1");
      queued.length = 0;
      for (const id of ids) queued.push(JSON.parse((await client.get(`${prefix}outbox:msg:${id}`)) ?? "{}"));
      return queued.map((m) => (m.payload.kind === "report" ? m.payload.subject : m.payload.kind)).sort();
    };
    const a = scheduler();
    clock.set(DAY_END + 4 * MIN);
    await a.check();
    expect(await due()).toEqual([]);
    clock.set(DAY_END + 5 * MIN);
    await a.check();
    expect(await due()).toEqual(["Smarty day report 2026-10-25"]);
    clock.set(DAY_END + 16 * MIN);
    await a.check();
    await scheduler().check(); // a restarted notifier: the dedupe keys in Redis hold
    expect(await due()).toEqual(["Smarty day report 2026-10-25", "Smarty week report 2026-W43"]);
    const day = queued.find((m) => m.payload.kind === "report" && m.payload.period === "day");
    expect(day?.payload.kind === "report" && day.payload.text).toMatch(/Energy imported\s+3\.000 kWh/); // 20:00Z–23:00Z at 1 kW
  });
});
