import { describe, expect, it } from "vitest";
import type { Tariff } from "../../src/config-file.js";
import { finalizePeriod } from "../../src/statistics/finalize.js";
import { MAX_PERIODS_PER_STEP, newMeterState, step } from "../../src/statistics/meter-state.js";
import { sampleFromReading } from "../../src/statistics/registers.js";
import { exportAt, importAt, type Plan, times } from "../helpers/day-plan.js";
import { simReading } from "../helpers/readings.js";

const utc = (s: string) => Date.parse(s);
const MIN = 60_000;

const TARIFF: Tariff = {
  currency: "EUR",
  import_per_kwh: 0.2,
  export_credit_per_kwh: 0.1,
  monthly_fee: 6.2,
  power_class: { kw: 3, excess_per_kwh: 0.1139, monthly_fee: 0 },
};

// 2026-10-25, the day the clocks go back: 00:00 local = 22:00Z the day before, next midnight = 23:00Z (25 h).
const DAY_START = utc("2026-10-24T22:00:00Z");
const DAY_END = utc("2026-10-25T23:00:00Z");
const PEAK_Q = utc("2026-10-25T17:00:00Z"); // 18:00 local (CET)
const plan: Plan = {
  start: DAY_START,
  importStart: 1000,
  exportStart: 50,
  importQuarter: (t) => (t === PEAK_Q ? 1.0 : 0.25),
  exportQuarter: (t) => (t >= utc("2026-10-25T11:00:00Z") && t < utc("2026-10-25T13:00:00Z") ? 0.25 : 0),
};

function readingAt(t: number) {
  return simReading(t, {
    import_kwh: importAt(plan, t),
    export_kwh: exportAt(plan, t),
    voltages: [
      t === utc("2026-10-25T06:00:00Z") ? 207.5 : 230,
      t === utc("2026-10-25T08:00:00Z") ? 251.2 : 230,
      0, // L3 not connected
    ],
    sags: [t >= utc("2026-10-25T06:00:00Z") ? 5 : 3, 0, 0],
    swells: [0, 0, 0],
    power_failures: t >= utc("2026-10-25T01:30:00Z") ? 8 : 7, // inside the repeated hour
    gas_m3: t >= utc("2026-10-25T12:00:00Z") ? 102.345 : 100,
  });
}

describe("statistics of one day from the registers", () => {
  it("computes the 25-hour October change day as hand-computed", () => {
    const state = newMeterState("m");
    const closed = [];
    for (const t of times(DAY_START, DAY_END, 5 * MIN)) {
      const r = step(state, sampleFromReading(readingAt(t), t, 50), { maxGapMs: 10 * MIN, classKw: 3 });
      closed.push(...r.closedPeriods);
    }
    // 2026-10-25 is a Sunday: its end also closes the week, which was only seen from that Sunday on.
    expect(closed.map((p) => p.kind)).toEqual(["day", "week"]);
    const week = finalizePeriod(closed[1]!, undefined, true);
    expect(week).toMatchObject({ start: "2026-10-19T00:00:00+02:00", energy_import_kwh: 25.75, readings: 300 });
    expect(week.first_reading_at).toBe("2026-10-25T00:00:00+02:00");
    const day = finalizePeriod(closed[0]!, TARIFF, true);
    expect(day).toMatchObject({
      period: "day",
      start: "2026-10-25T00:00:00+02:00",
      end: "2026-10-26T00:00:00+01:00",
      complete: true,
      energy_import_kwh: 25.75, // 99 quarters × 0.25 + 1.0
      energy_export_kwh: 2,
      peak_15min_import_kw: 4,
      peak_15min_at: "2026-10-25T18:00:00+01:00",
      voltage_min_v: { l1: 207.5, l2: 230, l3: null },
      voltage_max_v: { l1: 230, l2: 251.2, l3: null },
      voltage_sags: 2,
      voltage_swells: 0,
      power_failures: 1,
      power_class_excess_kwh: 0.25, // 1.0 − 3 kW × 0.25 h
      mbus: [{ channel: 1, medium: "gas", consumption: 2.345, unit: "m3" }],
      readings: 300,
    });
    // 25.75 × 0.20 = 5.15; 2 × 0.10 = 0.20; 6.20 / 31 = 0.20; 0.25 × 0.1139 = 0.028475
    expect(day.cost).toEqual({
      currency: "EUR",
      energy: 5.15,
      export_credit: 0.2,
      fixed: 0.2,
      power_class: 0.03,
      total: 5.18,
    });
  });

  it("ignores a reading that is not newer than the last one", () => {
    const state = newMeterState("m");
    const opts = { maxGapMs: 10 * MIN };
    expect(step(state, sampleFromReading(readingAt(DAY_START + MIN), 0, 50), opts).accepted).toBe(true);
    expect(step(state, sampleFromReading(readingAt(DAY_START + MIN), 0, 50), opts).accepted).toBe(false);
    expect(step(state, sampleFromReading(readingAt(DAY_START), 0, 50), opts).accepted).toBe(false);
  });

  it("splits an outage across midnight in proportion to time and closes the day in between", () => {
    // 1 kW constant: 22:00 local → 02:00 local two days later; 24 kWh per day, 2 kWh each side of the first midnight.
    const start = utc("2026-03-09T21:00:00Z"); // 22:00 local
    const state = newMeterState("m");
    const opts = { maxGapMs: 2 * MIN };
    step(state, sampleFromReading(simReading(start, { import_kwh: 500 }), 0, 50), opts);
    const after = utc("2026-03-11T01:00:00Z"); // 02:00 local on the 11th, 28 h later
    const r = step(state, sampleFromReading(simReading(after, { import_kwh: 528 }), 0, 50), opts);
    const days = r.closedPeriods.filter((p) => p.kind === "day").map((p) => finalizePeriod(p, undefined, true));
    expect(days.map((d) => [d.start, d.energy_import_kwh, d.readings])).toEqual([
      ["2026-03-09T00:00:00+01:00", 2, 1],
      ["2026-03-10T00:00:00+01:00", 24, 0],
    ]);
    expect(finalizePeriod(state.periods.day!, undefined, false).energy_import_kwh).toBe(2);
    expect(r.closedQuarters).toEqual([]); // nothing is derived across the gap
  });
});

describe("a reading far in the future", () => {
  it("closes a long gap as one gap: at most a bounded number of periods, not one per period in between", () => {
    const start = utc("2026-03-09T21:00:00Z");
    const state = newMeterState("m");
    const opts = { maxGapMs: 2 * MIN };
    step(state, sampleFromReading(simReading(start, { import_kwh: 500 }), 0, 50), opts);
    const far = utc("2099-03-09T21:00:00Z");
    const r = step(state, sampleFromReading(simReading(far, { import_kwh: 501 }), 0, 50), opts);
    expect(r.accepted).toBe(true);
    for (const kind of ["day", "week", "month"] as const) {
      expect(r.closedPeriods.filter((p) => p.kind === kind).length).toBeLessThanOrEqual(MAX_PERIODS_PER_STEP);
    }
    // The first closed day is the one the notifier saw; the current periods contain the new reading.
    expect(finalizePeriod(r.closedPeriods[0]!, undefined, true).start).toBe("2026-03-09T00:00:00+01:00");
    expect(state.periods.day?.start).toBe(utc("2099-03-08T23:00:00Z"));
    expect(state.periods.month?.start).toBe(utc("2099-02-28T23:00:00Z"));
    expect(r.closedQuarters).toEqual([]);
  });

  it("still closes every period of a gap shorter than the bound", () => {
    const start = utc("2026-03-09T21:00:00Z");
    const state = newMeterState("m");
    step(state, sampleFromReading(simReading(start, { import_kwh: 500 }), 0, 50), { maxGapMs: 2 * MIN });
    const r = step(state, sampleFromReading(simReading(start + 10 * 86_400_000, { import_kwh: 740 }), 0, 50), {
      maxGapMs: 2 * MIN,
    });
    expect(r.closedPeriods.filter((p) => p.kind === "day")).toHaveLength(10);
  });
});
