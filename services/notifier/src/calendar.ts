/**
 * The Europe/Luxembourg calendar for statistics and reports: days, ISO weeks (Monday first) and months in local
 * time. Offsets come from the EU summer-time rule in packages/p1 (Directive 2000/84/EC: last Sunday of March and
 * of October at 01:00 UTC), so no time-zone database is needed and a day can be 23, 24 or 25 hours long.
 */
import type { PeriodKind } from "@smarty/contracts";
import { luxembourgOffsetMinutes, toLuxembourgIso } from "@smarty/p1";

const MINUTE = 60_000;
export const HOUR_MS = 3_600_000;
/** The Luxembourg billing interval of the grid tariff: aligned quarter hours. */
export const QUARTER_MS = 15 * MINUTE;

export interface LocalTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
}

/** Local wall-clock fields of a UTC instant. */
export function localTime(utcMs: number): LocalTime {
  const d = new Date(utcMs + luxembourgOffsetMinutes(utcMs) * MINUTE);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
  };
}

/**
 * The UTC instant of a local wall-clock time. In the repeated October hour the earlier (summer) instant is
 * taken; a time in the skipped March hour is read as winter time.
 */
export function localToUtc(year: number, month: number, day: number, hour = 0, minute = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  for (const offset of [120, 60]) {
    const utc = asUtc - offset * MINUTE;
    if (luxembourgOffsetMinutes(utc) === offset) return utc;
  }
  return asUtc - 60 * MINUTE;
}

/** Start of the local day after the given local date (handles month and year ends). */
function nextDayStart(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day + 1));
  return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** Start (inclusive) of the period of `kind` containing `utcMs`. */
export function periodStart(kind: PeriodKind, utcMs: number): number {
  const t = localTime(utcMs);
  switch (kind) {
    case "day":
      return localToUtc(t.year, t.month, t.day);
    case "week": {
      const monday = new Date(Date.UTC(t.year, t.month - 1, t.day - (t.weekday - 1)));
      return localToUtc(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
    }
    case "month":
      return localToUtc(t.year, t.month, 1);
  }
}

/** End (exclusive) of the period of `kind` that starts at `start`: the next period's start. */
export function periodEnd(kind: PeriodKind, start: number): number {
  const t = localTime(start);
  switch (kind) {
    case "day":
      return nextDayStart(t.year, t.month, t.day);
    case "week": {
      const d = new Date(Date.UTC(t.year, t.month - 1, t.day + 7));
      return localToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    }
    case "month":
      return t.month === 12 ? localToUtc(t.year + 1, 1, 1) : localToUtc(t.year, t.month + 1, 1);
  }
}

/** Start of the period just before the one starting at `start`. */
export function previousPeriodStart(kind: PeriodKind, start: number): number {
  return periodStart(kind, start - 1);
}

/** Local day starts in [start, end), for per-day breakdowns and pro-rata fees. */
export function dayStarts(start: number, end: number): number[] {
  const days: number[] = [];
  for (let d = periodStart("day", start); d < end; d = periodEnd("day", d)) days.push(d);
  return days;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const two = (n: number) => String(n).padStart(2, "0");

/** ISO 8601 week number and week-numbering year of a local date. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return { year: d.getUTCFullYear(), week: Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7) };
}

/** Human label of a period: `2026-03-29`, `2026-W13`, `2026-03`. */
export function periodLabel(kind: PeriodKind, start: number): string {
  const t = localTime(start);
  if (kind === "day") return `${t.year}-${two(t.month)}-${two(t.day)}`;
  if (kind === "month") return `${t.year}-${two(t.month)}`;
  const w = isoWeek(t.year, t.month, t.day);
  return `${w.year}-W${two(w.week)}`;
}

/** Local `HH:MM` of an instant. */
export function localClock(utcMs: number): string {
  const t = localTime(utcMs);
  return `${two(t.hour)}:${two(t.minute)}`;
}

/** ISO 8601 with the Luxembourg offset. */
export const isoLocal = toLuxembourgIso;
