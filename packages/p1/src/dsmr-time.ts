/**
 * Telegram time stamps: `YYMMDDhhmmssX` in local time, X = `S` (summer, UTC+2) or `W` (winter, UTC+1)
 * (DSMR 5.0.2 §6.4 "TST"; Luxmetering P1 spec v1.1.3 §4.1: Europe/Luxembourg). Some meters omit X; then the EU
 * summer-time rule (last Sunday of March to last Sunday of October, switching at 01:00 UTC) decides.
 */

/** M-Bus channels that are not configured send this capture time (Lux spec §4.2); it is not a reading. */
export const DUMMY_MBUS_TIME = "632525252525S";

/**
 * Century of the two-digit year. DSMR 5.0.2 §6.4 gives TST as `YYMMDDhhmmssX` with no century, and no P1 meter
 * (DSMR 2.2 onwards, 2000s) sends a time before 2000: YY 00-69 is 20YY. YY 70-99 would be 1970-1999, which a meter
 * only sends as a placeholder, e.g. `0-1:24.2.1(700101010000W)` (the Unix epoch in local winter time) for an unset
 * M-Bus channel (ndokter/dsmr_parser DSMR 5 vector): it is not a time, like `632525252525S`.
 */
const FIRST_PLACEHOLDER_YEAR = 70;

/** Last Sunday of a month, 01:00 UTC, in ms: the EU switch instant (Directive 2000/84/EC). */
function euSwitch(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const day = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, day, 1);
}

/** Offset of Europe/Luxembourg at a UTC instant, in minutes (+60 or +120). */
export function luxembourgOffsetMinutes(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= euSwitch(year, 2) && utcMs < euSwitch(year, 9) ? 120 : 60;
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const m = Math.abs(minutes);
  return `${sign}${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/** ISO 8601 with the Luxembourg offset of that instant, e.g. `2020-07-06T10:41:57+02:00`. */
export function toLuxembourgIso(utcMs: number): string {
  const off = luxembourgOffsetMinutes(utcMs);
  const d = new Date(utcMs + off * 60_000);
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}` +
    `T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${offsetText(off)}`
  );
}

/** Days in a month (1-based) of a Gregorian year. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Two decimal digits at `i`, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Parses a TST into ISO 8601 with offset; undefined when it is not a valid time (including the M-Bus dummy and
 * the 1970 placeholder, see FIRST_PLACEHOLDER_YEAR).
 * Without the S/W flag the local time is resolved with the EU rule (an ambiguous hour takes winter time).
 * Runs for every telegram, so the fields are read digit by digit and the ISO text reuses them.
 */
export function parseDsmrTime(tst: string): string | undefined {
  const n = tst.length;
  if (n !== 12 && n !== 13) return undefined;
  const flag = n === 13 ? tst.charCodeAt(12) : 0;
  if (n === 13 && flag !== 0x53 && flag !== 0x57) return undefined;
  const yy = twoDigits(tst, 0);
  const mo = twoDigits(tst, 2);
  const dd = twoDigits(tst, 4);
  const hh = twoDigits(tst, 6);
  const mi = twoDigits(tst, 8);
  const ss = twoDigits(tst, 10);
  if (yy >= FIRST_PLACEHOLDER_YEAR) return undefined;
  if (yy < 0 || mo < 1 || mo > 12 || dd < 1 || hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) {
    return undefined;
  }
  if (dd > daysInMonth(2000 + yy, mo)) return undefined;
  let offset: string;
  if (flag === 0x53) offset = "+02:00";
  else if (flag === 0x57) offset = "+01:00";
  else {
    const localAsUtc = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss);
    offset =
      luxembourgOffsetMinutes(localAsUtc - 60 * 60_000) === 120 &&
      luxembourgOffsetMinutes(localAsUtc - 120 * 60_000) === 120
        ? "+02:00"
        : "+01:00";
  }
  return `20${tst.slice(0, 2)}-${tst.slice(2, 4)}-${tst.slice(4, 6)}T${tst.slice(6, 8)}:${tst.slice(8, 10)}:${tst.slice(10, 12)}${offset}`;
}

/** Formats a UTC instant as the meter would send it: local Luxembourg time with S/W. */
export function formatDsmrTime(utcMs: number): string {
  const off = luxembourgOffsetMinutes(utcMs);
  const d = new Date(utcMs + off * 60_000);
  return (
    two(d.getUTCFullYear() % 100) +
    two(d.getUTCMonth() + 1) +
    two(d.getUTCDate()) +
    two(d.getUTCHours()) +
    two(d.getUTCMinutes()) +
    two(d.getUTCSeconds()) +
    (off === 120 ? "S" : "W")
  );
}
