/**
 * The per-meter statistics state and the pure step that folds one sample into it. The state is plain JSON, saved
 * to Redis after every step, so a restarted notifier continues exactly where it stopped; the next reading after
 * an outage closes whatever periods and quarter hours ended meanwhile, with boundary values interpolated.
 */
import type { PeriodKind } from "@smarty/contracts";
import { periodEnd, periodStart, QUARTER_MS } from "../calendar.js";
import {
  addQuarter,
  addSample,
  closePeriod,
  openPeriod,
  type PeriodAcc,
  type QuarterEnergy,
} from "./period-accumulator.js";
import { registersAt, type Sample } from "./registers.js";

export const PERIOD_KINDS: readonly PeriodKind[] = ["day", "week", "month"];

/**
 * Periods of one kind one reading may close. A gap longer than that (a notifier off for months, or a meter time
 * years ahead that got through) is closed as one gap: the periods in between have no readings and would only hold
 * interpolated values, and thousands of them would go to Redis in one transaction. A month of days still closes
 * day by day.
 */
export const MAX_PERIODS_PER_STEP = 32;

/** The aligned quarter hour in progress: its start and the registers at that start (null when unknown). */
export interface QuarterProgress {
  start: number;
  importStart: number | null;
  exportStart: number | null;
}

export interface MeterState {
  readonly meter_id: string;
  last: Sample | null;
  quarter: QuarterProgress | null;
  periods: Partial<Record<PeriodKind, PeriodAcc>>;
}

export interface StepOptions {
  /** Readings further apart than this are a gap; no quarter-hour value is derived across it. */
  readonly maxGapMs: number;
  /** Power class for the excess energy (kW), when a tariff with one is configured. */
  readonly classKw?: number | undefined;
}

export interface StepResult {
  /** False when the sample was not newer than the last one (a retained or repeated reading). */
  readonly accepted: boolean;
  readonly closedPeriods: PeriodAcc[];
  readonly closedQuarters: QuarterEnergy[];
}

export function newMeterState(meterId: string): MeterState {
  return { meter_id: meterId, last: null, quarter: null, periods: {} };
}

const floorQuarter = (t: number) => Math.floor(t / QUARTER_MS) * QUARTER_MS;

/** Closes every quarter hour that ended before this sample. Local midnights are quarter boundaries (whole-hour offsets). */
function stepQuarters(state: MeterState, s: Sample, opts: StepOptions): QuarterEnergy[] {
  const closed: QuarterEnergy[] = [];
  const prev = state.last;
  let q = state.quarter ?? { start: floorQuarter(s.t), importStart: null, exportStart: null };
  const continuous = prev !== null && s.t - prev.t <= opts.maxGapMs;
  // Across a gap no quarter gets a value: go straight to the quarter of this sample instead of stepping through
  // every quarter in between (millions for a meter time years ahead).
  if (!continuous && s.t >= q.start + QUARTER_MS)
    q = { start: floorQuarter(s.t), importStart: null, exportStart: null };
  while (s.t >= q.start + QUARTER_MS) {
    const b = q.start + QUARTER_MS;
    const at = continuous && prev ? registersAt(prev, s, b) : null;
    const imp = at?.import_kwh ?? null;
    if (q.importStart !== null && imp !== null && imp >= q.importStart) {
      const exp = at?.export_kwh ?? null;
      closed.push({
        start: q.start,
        import_kwh: imp - q.importStart,
        export_kwh: q.exportStart !== null && exp !== null ? exp - q.exportStart : null,
      });
    }
    q = { start: b, importStart: imp, exportStart: at?.export_kwh ?? null };
  }
  if (q.start === s.t) {
    q = { start: q.start, importStart: s.reg.import_kwh, exportStart: s.reg.export_kwh };
  }
  state.quarter = q;
  return closed;
}

/** Folds one sample into the state. Samples must arrive in time order; older ones are ignored. */
export function step(state: MeterState, s: Sample, opts: StepOptions): StepResult {
  const prev = state.last;
  if (prev !== null && s.t <= prev.t) return { accepted: false, closedPeriods: [], closedQuarters: [] };
  const quarters = stepQuarters(state, s, opts);
  const closedPeriods: PeriodAcc[] = [];
  for (const kind of PERIOD_KINDS) {
    let acc = state.periods[kind];
    if (!acc) {
      const start = periodStart(kind, s.t);
      acc = openPeriod(kind, start, periodEnd(kind, start), s.reg);
    }
    let closed = 0;
    while (s.t >= acc.end) {
      const boundary = prev ? registersAt(prev, s, acc.end) : s.reg;
      for (const q of quarters) if (q.start >= acc.start && q.start < acc.end) addQuarter(acc, q, opts.classKw);
      closedPeriods.push(closePeriod(acc, boundary));
      closed++;
      let next = acc.end;
      let startReg = boundary;
      if (closed >= MAX_PERIODS_PER_STEP && s.t >= periodEnd(kind, next)) {
        next = periodStart(kind, s.t);
        startReg = prev ? registersAt(prev, s, next) : s.reg;
      }
      acc = openPeriod(kind, next, periodEnd(kind, next), startReg);
    }
    for (const q of quarters) if (q.start >= acc.start && q.start < acc.end) addQuarter(acc, q, opts.classKw);
    addSample(acc, s);
    state.periods[kind] = acc;
  }
  state.last = s;
  return { accepted: true, closedPeriods, closedQuarters: quarters };
}
