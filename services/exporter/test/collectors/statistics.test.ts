import type { PeriodStatistics, Statistics } from "@smarty/contracts";
import { ManualClock } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { STATISTICS_FIELDS, statisticsMetrics } from "../../src/collectors/statistics.js";
import { IngestStatus } from "../../src/ingest-status.js";
import { createMetrics } from "../../src/metrics-registry.js";
import { ReadingCache } from "../../src/reading-cache.js";
import { StatisticsCache } from "../../src/statistics-cache.js";
import { parseExposition } from "../exposition.js";

const period = (kind: PeriodStatistics["period"], start: string, end: string, kwh: number): PeriodStatistics => ({
  period: kind,
  start,
  end,
  complete: true,
  energy_import_kwh: kwh,
  energy_export_kwh: 0,
  peak_15min_import_kw: 2.345,
  peak_15min_at: start,
  voltage_min_v: { l1: 228, l2: null, l3: null },
  voltage_max_v: { l1: 236, l2: null, l3: null },
  voltage_sags: 0,
  voltage_swells: 0,
  power_failures: 0,
  power_class_excess_kwh: null,
  mbus: [],
  cost: { currency: "EUR", energy: 3.5, export_credit: 0.25, fixed: 0.1, power_class: 0, total: 3.35 },
  readings: 100,
});

// 2026-10-25 in Luxembourg: 25 hours, 00:00 CEST (22:00 UTC the day before) to 00:00 CET (23:00 UTC).
const DST_DAY = period("day", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 12.345);
const statistics: Statistics = {
  meter_id: "M1",
  updated_at: "2026-10-26T00:00:10+01:00",
  current: {
    day: { ...period("day", "2026-10-26T00:00:00+01:00", "2026-10-27T00:00:00+01:00", 0.001), complete: false },
    week: { ...period("week", "2026-10-26T00:00:00+01:00", "2026-11-02T00:00:00+01:00", 0.001), complete: false },
    month: { ...period("month", "2026-10-01T00:00:00+02:00", "2026-11-01T00:00:00+01:00", 300.5), complete: false },
  },
  previous: { day: DST_DAY, week: null, month: null },
};

async function scrape(cache: StatisticsCache) {
  const clock = new ManualClock();
  const metrics = createMetrics({
    cache: new ReadingCache({ clock, staleAfterMs: 60_000 }),
    ingest: new IngestStatus(),
    statistics: cache,
    powerClassWatts: 3000,
    defaultMetrics: false,
  });
  return parseExposition(await metrics.registry.metrics());
}

describe("statistics metrics", () => {
  it("exports each period of the notifier's statistics in base units, labelled by period and window", async () => {
    const cache = new StatisticsCache();
    cache.put("M1", statistics);
    const s = await scrape(cache);
    const prev = '{meter="M1",period="day",window="previous"}';
    expect(s.get(`smarty_statistics_energy_imported_joules${prev}`)).toBe(12.345 * 3.6e6);
    expect(s.get(`smarty_statistics_energy_exported_joules${prev}`)).toBe(0);
    expect(s.get(`smarty_statistics_peak_import_watts${prev}`)).toBe(2345);
    expect(s.get(`smarty_statistics_cost_euros${prev}`)).toBe(3.35);
    expect(s.get(`smarty_statistics_export_credit_euros${prev}`)).toBe(0.25);
    // The 25-hour day: its start and end are local midnights, 90 000 s apart.
    expect(s.get(`smarty_statistics_start_timestamp_seconds${prev}`)).toBe(Date.UTC(2026, 9, 24, 22) / 1000);
    expect(s.get(`smarty_statistics_end_timestamp_seconds${prev}`)).toBe(Date.UTC(2026, 9, 25, 23) / 1000);
    expect(s.get('smarty_statistics_energy_imported_joules{meter="M1",period="month",window="current"}')).toBe(
      300.5 * 3.6e6,
    );
    // No closed week yet, no excess without a power class: no series rather than a 0.
    expect(s.has('smarty_statistics_energy_imported_joules{meter="M1",period="week",window="previous"}')).toBe(false);
    expect([...s.keys()].some((k) => k.startsWith("smarty_statistics_power_class_excess_joules{"))).toBe(false);
  });

  it("leaves money out for a tariff in another currency and forgets a cleared meter", async () => {
    const cache = new StatisticsCache();
    const chf = { ...DST_DAY, cost: { ...DST_DAY.cost!, currency: "CHF" } };
    cache.put("M1", { ...statistics, previous: { ...statistics.previous, day: chf } });
    let s = await scrape(cache);
    expect(s.has('smarty_statistics_cost_euros{meter="M1",period="day",window="previous"}')).toBe(false);
    expect(cache.remove("M1")).toBe(true);
    s = await scrape(cache);
    expect([...s.keys()].some((k) => k.startsWith("smarty_statistics_"))).toBe(false);
  });

  it("adds a statistics field with one row of the table", () => {
    const cache = new StatisticsCache();
    cache.put("M1", statistics);
    const readings = {
      family: { name: "smarty_statistics_readings", help: "Readings in the period.", type: "gauge" as const },
      value: (p: PeriodStatistics) => p.readings,
    };
    const metric = statisticsMetrics(cache, [
      ...STATISTICS_FIELDS,
      { ...readings, family: { ...readings.family, labels: [], source: "" } },
    ]).at(-1)!;
    expect(metric.render()).toContain('smarty_statistics_readings{meter="M1",period="day",window="previous"} 100');
  });
});
