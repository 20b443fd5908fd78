/**
 * Local midnights in Luxembourg, computed here from the EU summer-time rule (Directive 2000/84/EC: from 01:00 UTC
 * on the last Sunday of March to 01:00 UTC on the last Sunday of October) so that the soak's expected statistics
 * do not reuse the notifier's calendar.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Day of month of the last Sunday of `month` (0-based) in `year`. */
export function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** UTC ms of the summer-time start (clocks 02:00 → 03:00 local) in `year`. */
export function dstStart(year: number): number {
  return Date.UTC(year, 2, lastSunday(year, 2), 1);
}

function dstEnd(year: number): number {
  return Date.UTC(year, 9, lastSunday(year, 9), 1);
}

/** UTC ms of local midnight starting the calendar day `y-m-d` (month 0-based; day may overflow). */
export function localMidnight(year: number, month: number, day: number): number {
  const utcDate = Date.UTC(year, month, day);
  const d = new Date(utcDate);
  const y = d.getUTCFullYear();
  // Midnight is never inside the changeover hour, so the offset of the date's UTC midnight minus one hour decides.
  const probe = utcDate - HOUR;
  const summer = probe >= dstStart(y) && probe < dstEnd(y);
  return utcDate - (summer ? 2 : 1) * HOUR;
}

/** Local calendar days of the soak: `days` consecutive midnights (plus the one closing the last day). */
export function soakDays(days: number, year = 2026): { start: number; midnights: number[]; dstDay: number } {
  const sunday = lastSunday(year, 2);
  // The summer-time Sunday lies in the run: in its middle for long runs, as the last day for two days.
  const firstDay = sunday - Math.min(days - 1, Math.floor(days / 2));
  const midnights: number[] = [];
  for (let i = 0; i <= days; i++) midnights.push(localMidnight(year, 2, firstDay + i));
  const dstDay = localMidnight(year, 2, sunday);
  return { start: midnights[0] ?? 0, midnights, dstDay };
}

export const MS_PER_DAY = DAY;
