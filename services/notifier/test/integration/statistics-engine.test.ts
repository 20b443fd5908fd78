import { randomUUID } from "node:crypto";
import { statisticsSchema } from "@smarty/contracts";
import { type RedisServer, startRedis } from "@smarty/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFileConfig } from "../../src/config-file.js";
import { reportData } from "../../src/reports/report-data.js";
import { hourlyCsv } from "../../src/reports/report-text.js";
import { StatisticsEngine } from "../../src/statistics/statistics-engine.js";
import { StatisticsStore } from "../../src/statistics/statistics-store.js";
import { importAt, type Plan, times } from "../helpers/day-plan.js";
import { METER, simReading } from "../helpers/readings.js";

const utc = (s: string) => Date.parse(s);
const MIN = 60_000;
// 2026-03-10, an ordinary Tuesday (CET): 00:00 local = 23:00Z the day before.
const DAY_START = utc("2026-03-09T23:00:00Z");
const DAY_END = utc("2026-03-10T23:00:00Z");
const GAP_FROM = utc("2026-03-10T07:00:00Z"); // 08:00 local: last reading before the gap
const GAP_TO = utc("2026-03-10T12:00:00Z"); // 13:00 local: first reading after it
const RESTART = utc("2026-03-10T15:00:00Z"); // 16:00 local
const PEAK_Q = utc("2026-03-10T18:00:00Z"); // 19:00 local

// Quarter energies: 0.25 kWh; 1.0 kWh in every quarter of the gap (never seen as quarters); 0.8 kWh at 19:00.
const plan: Plan = {
  start: DAY_START,
  importStart: 5000,
  exportStart: 0,
  importQuarter: (t) => (t >= GAP_FROM && t < GAP_TO ? 1.0 : t === PEAK_Q ? 0.8 : 0.25),
  exportQuarter: () => 0,
};
const YAML = `
tariff: {import_per_kwh: 0.2, monthly_fee: 3.1, power_class: {kw: 3, excess_per_kwh: 0.1139}}
`;

describe("statistics in Redis across a gap and a restart", () => {
  let redis: RedisServer;
  const clients: Redis[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) await c.quit();
    await redis?.stop();
  });

  async function engine(prefix: string, saveIntervalMs?: number, saves?: { count: number }): Promise<StatisticsEngine> {
    const client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    clients.push(client);
    const file = parseFileConfig(YAML);
    const store = new StatisticsStore(client, prefix);
    if (saves) {
      const save = store.save.bind(store);
      store.save = (...a) => {
        saves.count++;
        return save(...a);
      };
    }
    return new StatisticsEngine(store, {
      tariff: file.tariff,
      maxGapMs: file.statistics.max_gap,
      minPhaseVoltageV: 50,
      ...(saveIntervalMs === undefined ? {} : { saveIntervalMs }),
    });
  }

  const reading = (t: number) =>
    simReading(t, {
      import_kwh: importAt(plan, t),
      export_kwh: 0,
      voltages: [t === utc("2026-03-10T19:30:00Z") ? 215 : t === utc("2026-03-10T05:00:00Z") ? 240.5 : 230, 230, 230],
      power_failures: 3,
    });

  it("matches the hand-computed day with a five-hour gap and a restart at 16:00", async () => {
    const prefix = `s${randomUUID()}:`;
    let stats = await engine(prefix);
    const instants = [...times(DAY_START, GAP_FROM, MIN), ...times(GAP_TO, DAY_END, MIN)];
    for (const t of instants) {
      if (t === RESTART) stats = await engine(prefix); // a new process: everything comes back from Redis
      await stats.process(METER, reading(t), t);
    }
    const s = statisticsSchema.parse(await stats.statistics(METER, DAY_END));
    const day = s.previous.day;
    expect(day).toMatchObject({
      start: "2026-03-10T00:00:00+01:00",
      end: "2026-03-11T00:00:00+01:00",
      complete: true,
      // 75 × 0.25 + 20 × 1.0 (the gap, still in the registers) + 0.8
      energy_import_kwh: 39.55,
      energy_export_kwh: 0,
      // 0.8 kWh in a quarter = 3.2 kW; the 4 kW of the gap is not attributable to any quarter
      peak_15min_import_kw: 3.2,
      peak_15min_at: "2026-03-10T19:00:00+01:00",
      voltage_min_v: { l1: 215, l2: 230, l3: 230 },
      voltage_max_v: { l1: 240.5, l2: 230, l3: 230 },
      power_failures: 0,
      power_class_excess_kwh: 0.05, // 0.8 − 0.75 in the 19:00 quarter
      readings: 481 + 660, // 00:00…08:00 and 13:00…23:59, one a minute
      first_reading_at: "2026-03-10T00:00:00+01:00",
      last_reading_at: "2026-03-10T23:59:00+01:00",
    });
    // 39.55 × 0.20 = 7.91; 3.10 / 31 = 0.10; 0.05 × 0.1139 = 0.0057
    expect(day?.cost).toEqual({
      currency: "EUR",
      energy: 7.91,
      export_credit: 0,
      fixed: 0.1,
      power_class: 0.01,
      total: 8.02,
    });
    expect(s.current.day).toMatchObject({ start: "2026-03-11T00:00:00+01:00", readings: 1, energy_import_kwh: 0 });
    expect(s.current.week).toMatchObject({ start: "2026-03-09T00:00:00+01:00", energy_import_kwh: 39.55 });

    const data = await reportData(stats, METER, "day", DAY_START);
    const rows = hourlyCsv(data!).split("\r\n");
    expect(rows[8]).toBe("2026-03-10T07:00:00+01:00,1.000,0.000");
    expect(rows.slice(9, 14)).toEqual([
      "2026-03-10T08:00:00+01:00,,",
      "2026-03-10T09:00:00+01:00,,",
      "2026-03-10T10:00:00+01:00,,",
      "2026-03-10T11:00:00+01:00,,",
      "2026-03-10T12:00:00+01:00,,",
    ]);
    expect(rows[20]).toBe("2026-03-10T19:00:00+01:00,1.550,0.000"); // 0.8 + 3 × 0.25
    expect(rows).toHaveLength(1 + 24 + 1);
  });

  it("ignores a repeated retained reading after a restart", async () => {
    const prefix = `s${randomUUID()}:`;
    const a = await engine(prefix);
    await a.process(METER, reading(DAY_START), DAY_START);
    await a.process(METER, reading(DAY_START + MIN), DAY_START + MIN);
    const b = await engine(prefix);
    expect((await b.process(METER, reading(DAY_START + MIN), DAY_START + 2 * MIN)).accepted).toBe(false);
    expect((await b.statistics(METER, DAY_START + 2 * MIN))?.current.day.readings).toBe(2);
  });

  it("keeps only the last closed period of each kind in memory, however many days pass", async () => {
    const stats = await engine(`s${randomUUID()}:`);
    const DAY = 24 * 60 * MIN;
    for (let d = 0; d < 40; d++) {
      for (const t of [DAY_START + d * DAY, DAY_START + d * DAY + 12 * 60 * MIN]) {
        await stats.process(METER, simReading(t, { import_kwh: 100 + d + (t - DAY_START) / DAY }), t);
      }
    }
    const s = await stats.statistics(METER, DAY_START + 40 * DAY);
    expect(s?.previous.day?.start).toBeDefined();
    expect(stats.cachedPeriods).toBeLessThanOrEqual(3);
  });
  it("saves the running state once per quarter hour, and a clean stop before a restart loses nothing", async () => {
    const instants = [...times(DAY_START, GAP_FROM, MIN), ...times(GAP_TO, DAY_END + MIN, MIN)];
    const every = await engine(`e${randomUUID()}:`);
    const prefix = `q${randomUUID()}:`;
    const saves = { count: 0 };
    let throttled = await engine(prefix, 15 * MIN, saves);
    for (const t of instants) {
      if (t === RESTART) {
        await throttled.flush(); // a clean stop (SIGTERM): the running state is saved once more
        throttled = await engine(prefix, 15 * MIN, saves);
      }
      await every.process(METER, reading(t), t);
      await throttled.process(METER, reading(t), t);
    }
    const a = statisticsSchema.parse(await every.statistics(METER, DAY_END));
    const b = statisticsSchema.parse(await throttled.statistics(METER, DAY_END));
    expect(b.previous).toEqual(a.previous);
    expect(b.current).toEqual(a.current);
    // A save when a quarter hour closes (77 outside the gap, and the gap itself), the first reading, the flush.
    expect(instants.length).toBeGreaterThan(1100);
    expect(saves.count).toBeLessThanOrEqual(82);
  });

  it("keeps energy, cost and the quarter-hour peak exact when the process dies between two saves", async () => {
    const instants = [...times(DAY_START, GAP_FROM, MIN), ...times(GAP_TO, DAY_END + MIN, MIN)];
    const reference = await engine(`e${randomUUID()}:`);
    const prefix = `k${randomUUID()}:`;
    let crashed = await engine(prefix, 15 * MIN);
    for (const t of instants) {
      // 16:07 local: the readings of 16:01…16:06 came after the save at 16:00 (the quarter close) and before the
      // next one: the process dies without a flush (SIGKILL, a power cut) and they are lost from the counts.
      if (t === RESTART + 7 * MIN) crashed = await engine(prefix, 15 * MIN);
      await reference.process(METER, reading(t), t);
      await crashed.process(METER, reading(t), t);
    }
    const a = statisticsSchema.parse(await reference.statistics(METER, DAY_END)).previous.day;
    const b = statisticsSchema.parse(await crashed.statistics(METER, DAY_END)).previous.day;
    for (const key of ["energy_import_kwh", "energy_export_kwh", "peak_15min_import_kw", "peak_15min_at", "cost"]) {
      expect(b?.[key as keyof typeof b], key).toEqual(a?.[key as keyof typeof a]);
    }
    expect(b?.readings).toBe((a?.readings ?? 0) - 6);
  });
});
