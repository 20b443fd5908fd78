/**
 * One period's running statistics (a day, week or month of one meter), updated sample by sample and closed at
 * the period boundary. Energy, event counts and M-Bus consumption are register differences (end minus start);
 * voltages are extremes of the samples seen; the 15-minute peak and the power-class excess come from closed
 * quarter hours (see quarter-hours.ts).
 */
import type { PeriodKind } from "@smarty/contracts";
import { baseloadW, medianW, quarterLoadW } from "./baseload.js";
import { fillRegisters, mergeRegisters, type Registers, type Sample } from "./registers.js";

export interface PeriodAcc {
  readonly kind: PeriodKind;
  readonly start: number;
  readonly end: number;
  /** Registers at the period start: interpolated at the boundary, or the first sample when the notifier started later. */
  startReg: Registers;
  /** Latest registers (the boundary values once closed). */
  endReg: Registers;
  firstAt: number | null;
  lastAt: number | null;
  readings: number;
  vMin: (number | null)[];
  vMax: (number | null)[];
  peakKw: number | null;
  peakAt: number | null;
  /** Import energy above the power class, summed over the period's quarter hours (kWh). */
  excessKwh: number;
  /** Quarter hours with a known energy (a measure of coverage). */
  quarters: number;
  /**
   * Days only: average import power (W) of each closed quarter hour without export, for the baseload (baseload.ts).
   * At most 100 numbers (a 25-hour day); absent in states saved before it existed.
   */
  quarterW?: number[];
  /** Weeks and months only: the baseloads of their closed days. */
  dayBaseloadsW?: number[];
}

/** A closed, aligned quarter hour with its register increases. */
export interface QuarterEnergy {
  readonly start: number;
  readonly import_kwh: number;
  readonly export_kwh: number | null;
}

export function openPeriod(kind: PeriodKind, start: number, end: number, startReg: Registers): PeriodAcc {
  return {
    kind,
    start,
    end,
    startReg,
    endReg: startReg,
    firstAt: null,
    lastAt: null,
    readings: 0,
    vMin: [null, null, null],
    vMax: [null, null, null],
    peakKw: null,
    peakAt: null,
    excessKwh: 0,
    quarters: 0,
    ...(kind === "day" ? { quarterW: [] } : { dayBaseloadsW: [] }),
  };
}

/** Adds a sample that lies inside the period. */
export function addSample(acc: PeriodAcc, s: Sample): void {
  acc.endReg = mergeRegisters(acc.endReg, s.reg);
  acc.startReg = fillRegisters(acc.startReg, s.reg);
  acc.firstAt ??= s.t;
  acc.lastAt = s.t;
  acc.readings++;
  s.voltages.forEach((v, i) => {
    if (v === null) return;
    const lo = acc.vMin[i] ?? null;
    const hi = acc.vMax[i] ?? null;
    acc.vMin[i] = lo === null ? v : Math.min(lo, v);
    acc.vMax[i] = hi === null ? v : Math.max(hi, v);
  });
}

/**
 * Adds a closed quarter hour. The average power of the quarter is its energy over 0.25 h; energy above
 * `classKw × 0.25 h` is the power-class excess of the Luxembourg grid tariff.
 */
export function addQuarter(acc: PeriodAcc, q: QuarterEnergy, classKw: number | undefined): void {
  const avgKw = q.import_kwh / 0.25;
  if (acc.peakKw === null || avgKw > acc.peakKw) {
    acc.peakKw = avgKw;
    acc.peakAt = q.start;
  }
  if (classKw !== undefined) acc.excessKwh += Math.max(0, q.import_kwh - classKw * 0.25);
  acc.quarters++;
  if (acc.kind === "day") {
    const w = quarterLoadW(q.import_kwh, q.export_kwh);
    if (w !== undefined) acc.quarterW = [...(acc.quarterW ?? []), w];
  }
}

/** Baseload of the period in W: a day's own (baseload.ts), a week's or month's median of its closed days. */
export function periodBaseloadW(acc: PeriodAcc): number | null {
  return acc.kind === "day" ? baseloadW(acc.quarterW ?? []) : medianW(acc.dayBaseloadsW ?? []);
}

/** Counts a closed day's baseload in a week or month that contains it. */
export function addDayBaseload(acc: PeriodAcc, day: PeriodAcc): void {
  if (acc.kind === "day" || day.start < acc.start || day.start >= acc.end) return;
  const w = periodBaseloadW(day);
  if (w !== null) acc.dayBaseloadsW = [...(acc.dayBaseloadsW ?? []), w];
}

/** Closes the period with the registers at its end boundary. */
export function closePeriod(acc: PeriodAcc, boundary: Registers): PeriodAcc {
  acc.endReg = mergeRegisters(acc.endReg, boundary);
  return acc;
}
