/**
 * Telegram time stamps: `YYMMDDhhmmssX` in local time, X = `S` (summer, UTC+2) or `W` (winter, UTC+1)
 * (DSMR 5.0.2 §6.4 "TST"; Luxmetering P1 spec v1.1.3 §4.1: Europe/Luxembourg). Some meters omit X; then the EU
 * summer-time rule (last Sunday of March to last Sunday of October, switching at 01:00 UTC) decides.
 */

/** M-Bus channels that are not configured send this capture time (Lux spec §4.2); it is not a reading. */
export const DUMMY_MBUS_TIME = "632525252525S";

const TST = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})([SW]?)$/;

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

/**
 * Parses a TST into ISO 8601 with offset; undefined when it is not a valid time (including the M-Bus dummy).
 * Without the S/W flag the local time is resolved with the EU rule (an ambiguous hour takes winter time).
 */
export function parseDsmrTime(tst: string): string | undefined {
  const m = TST.exec(tst);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss, flag] = m;
  const year = 2000 + Number(yy);
  const fields = [Number(mo) - 1, Number(dd), Number(hh), Number(mi), Number(ss)] as const;
  const localAsUtc = Date.UTC(year, ...fields);
  const check = new Date(localAsUtc);
  if (
    check.getUTCMonth() !== fields[0] ||
    check.getUTCDate() !== fields[1] ||
    fields[2] > 23 ||
    fields[3] > 59 ||
    fields[4] > 59
  ) {
    return undefined;
  }
  let offset: number;
  if (flag === "S") offset = 120;
  else if (flag === "W") offset = 60;
  else
    offset =
      luxembourgOffsetMinutes(localAsUtc - 60 * 60_000) === 120 &&
      luxembourgOffsetMinutes(localAsUtc - 120 * 60_000) === 120
        ? 120
        : 60;
  const d = new Date(localAsUtc);
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}` +
    `T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${offsetText(offset)}`
  );
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
