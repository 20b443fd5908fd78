/**
 * Everything a report shows, gathered from the statistics: the period, the one before it (for the comparison),
 * the hourly energy (from closed quarter hours, for the CSV and the day chart) and the daily energy (from the day
 * history, for the week and month charts).
 */
import type { PeriodKind, PeriodStatistics } from "@smarty/contracts";
import { dayStarts, HOUR_MS, periodEnd, periodStart, previousPeriodStart } from "../calendar.js";
import type { StatisticsEngine } from "../statistics/statistics-engine.js";

export interface HourRow {
  readonly start: number;
  /** Null when a quarter of the hour is unknown (a gap in the readings). */
  readonly import_kwh: number | null;
  readonly export_kwh: number | null;
}

export interface DayBar {
  readonly start: number;
  readonly import_kwh: number | null;
}

export interface ReportData {
  readonly meterId: string;
  readonly kind: PeriodKind;
  readonly start: number;
  readonly end: number;
  readonly period: PeriodStatistics;
  readonly previous: PeriodStatistics | undefined;
  readonly hours: readonly HourRow[];
  readonly days: readonly DayBar[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Hourly sums of the period's closed quarter hours; an hour with a missing quarter has no value. */
async function hourRows(stats: StatisticsEngine, meterId: string, start: number, end: number): Promise<HourRow[]> {
  const quarters = await stats.store.quarters(meterId, dayStarts(start, end));
  const byHour = new Map<number, { imp: number; exp: number | null; n: number }>();
  for (const q of quarters) {
    if (q.start < start || q.start >= end) continue;
    const h = Math.floor(q.start / HOUR_MS) * HOUR_MS; // local hours are UTC hours: offsets are whole hours
    const acc = byHour.get(h) ?? { imp: 0, exp: 0, n: 0 };
    acc.imp += q.import_kwh;
    acc.exp = acc.exp === null || q.export_kwh === null ? null : acc.exp + q.export_kwh;
    acc.n++;
    byHour.set(h, acc);
  }
  const rows: HourRow[] = [];
  for (let h = start; h < end; h += HOUR_MS) {
    const acc = byHour.get(h);
    const full = acc !== undefined && acc.n === 4;
    rows.push({
      start: h,
      import_kwh: full ? round3(acc.imp) : null,
      export_kwh: full && acc.exp !== null ? round3(acc.exp) : null,
    });
  }
  return rows;
}

/**
 * The report data of the period of `kind` that contains `at`, or undefined when there are no statistics for it.
 * `at` inside a running period gives the report "so far".
 */
export async function reportData(
  stats: StatisticsEngine,
  meterId: string,
  kind: PeriodKind,
  at: number,
): Promise<ReportData | undefined> {
  const start = periodStart(kind, at);
  const end = periodEnd(kind, start);
  const period = await stats.period(meterId, kind, start);
  if (!period) return undefined;
  const previous = await stats.period(meterId, kind, previousPeriodStart(kind, start));
  const days: DayBar[] = [];
  if (kind !== "day") {
    for (const d of dayStarts(start, end)) {
      const p = await stats.period(meterId, "day", d);
      days.push({ start: d, import_kwh: p?.energy_import_kwh ?? null });
    }
  }
  return { meterId, kind, start, end, period, previous, hours: await hourRows(stats, meterId, start, end), days };
}
