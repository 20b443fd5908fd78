import { describe, expect, it } from "vitest";
import { baseloadW, MIN_BASELOAD_QUARTERS } from "../../src/statistics/baseload.js";
import { finalizePeriod } from "../../src/statistics/finalize.js";
import { type MeterState, newMeterState, step } from "../../src/statistics/meter-state.js";
import type { PeriodAcc } from "../../src/statistics/period-accumulator.js";
import { sampleFromReading } from "../../src/statistics/registers.js";
import { exportAt, importAt, type Plan, times } from "../helpers/day-plan.js";
import { simReading } from "../helpers/readings.js";

const utc = (s: string) => Date.parse(s);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// Tuesday 2026-03-10, CET: 00:00 local = 23:00Z the day before; 96 quarter hours.
const DAY_START = utc("2026-03-09T23:00:00Z");

/**
 * A day with a known night-time load: 200 W from 00:00 to 06:00 local (24 quarters of 0.05 kWh), except two
 * quarters at 02:00 and 02:15 with 50 W (0.0125 kWh: the fridge's compressor off, an atypical low); 1000 W for
 * the rest of the day (0.25 kWh), 2 kW from 18:00 to 20:00 (0.5 kWh), and solar export from 11:00 to 14:00 local,
 * whose 12 quarters import nothing (0 kWh): they say nothing of the household's load and are left out.
 */
function planOf(dayStart: number, nightW: number): Plan {
  const local = (t: number) => (t - dayStart) / HOUR;
  return {
    start: dayStart,
    importStart: 1000,
    exportStart: 10,
    importQuarter: (t) => {
      const h = local(t) % 24;
      if (h >= 2 && h < 2.5) return 0.0125;
      if (h < 6) return (nightW / 1000) * 0.25;
      if (h >= 11 && h < 14) return 0;
      if (h >= 18 && h < 20) return 0.5;
      return 0.25;
    },
    exportQuarter: (t) => {
      const h = local(t) % 24;
      return h >= 11 && h < 14 ? 0.3 : 0;
    },
  };
}

function run(state: MeterState, plan: Plan, from: number, to: number, stepMs = 5 * MIN): PeriodAcc[] {
  const closed: PeriodAcc[] = [];
  for (const t of times(from, to, stepMs)) {
    const reading = simReading(t, { import_kwh: importAt(plan, t), export_kwh: exportAt(plan, t) });
    closed.push(...step(state, sampleFromReading(reading, t, 50), { maxGapMs: 10 * MIN }).closedPeriods);
  }
  return closed;
}

describe("baseload: the 10th percentile of the day's quarter-hour import power without export", () => {
  it("is the night-time load of a hand-computed day, not its atypical lowest quarters", () => {
    const state = newMeterState("m");
    const closed = run(state, planOf(DAY_START, 200), DAY_START, DAY_START + DAY);
    const day = finalizePeriod(closed.find((p) => p.kind === "day")!, undefined, true);
    // 96 quarters − 12 exporting = 84 values: 2 × 50 W, 22 × 200 W, 52 × 1000 W, 8 × 2000 W.
    // Nearest rank: ceil(0.10 × 84) = 9th smallest → 200 W (the minimum would say 50 W).
    expect(day.baseload_w).toBe(200);
    expect(day.energy_import_kwh).toBe(2 * 0.0125 + 22 * 0.05 + 52 * 0.25 + 8 * 0.5);
  });

  it("is null, not 0, for a day with fewer than 8 hours of quarter values", () => {
    expect(MIN_BASELOAD_QUARTERS).toBe(32);
    const state = newMeterState("m");
    // Readings from 16:00 local only: 8 h − one quarter of values before midnight (31 quarters).
    const plan = planOf(DAY_START, 200);
    const closed = run(state, plan, DAY_START + 16 * HOUR + 15 * MIN, DAY_START + DAY);
    const day = finalizePeriod(closed.find((p) => p.kind === "day")!, undefined, true);
    expect(day.baseload_w).toBeNull();
    expect(day.energy_import_kwh).not.toBeNull();
    expect(baseloadW(Array.from({ length: 31 }, () => 300))).toBeNull();
    expect(baseloadW(Array.from({ length: 32 }, () => 300))).toBe(300);
  });

  it("is known for the running day once it has 8 hours of values", () => {
    const state = newMeterState("m");
    run(state, planOf(DAY_START, 200), DAY_START, DAY_START + 7 * HOUR);
    expect(finalizePeriod(state.periods.day!, undefined, false).baseload_w).toBeNull(); // 28 quarters
    run(state, planOf(DAY_START, 200), DAY_START + 7 * HOUR + 5 * MIN, DAY_START + 8 * HOUR);
    // 32 quarters: 2 × 50, 22 × 200, 8 × 1000; ceil(3.2) = 4th smallest → 200 W.
    expect(finalizePeriod(state.periods.day!, undefined, false).baseload_w).toBe(200);
  });

  it("is the median of the closed days' baseloads for a week and a month", () => {
    const state = newMeterState("m");
    // Tue 200 W, Wed 350 W, Thu 260 W at night; the week and month still run on Friday.
    const nights = [200, 350, 260];
    nights.forEach((w, i) => {
      const start = DAY_START + i * DAY;
      run(state, planOf(start, w), start + (i === 0 ? 0 : 5 * MIN), start + DAY);
    });
    const closedDays = nights.length;
    expect(closedDays).toBe(3);
    expect(finalizePeriod(state.periods.week!, undefined, false).baseload_w).toBe(260);
    expect(finalizePeriod(state.periods.month!, undefined, false).baseload_w).toBe(260);
  });
});
