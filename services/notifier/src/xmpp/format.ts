/**
 * Number and time formatting for chat answers: short, unambiguous plain text that reads well on a phone.
 * Pure functions; the time zone (the household's calendar, Europe/Luxembourg by default) and the language
 * (SMARTY_LANGUAGE, English by default) are parameters. Numbers and dates come from @smarty/i18n: a decimal comma in
 * lb/fr/de, a 24-hour clock, ASCII minus everywhere, so answers look the same in every client.
 */
import { formatNumber, formatWeekdayDate, type Language } from "@smarty/i18n";

export const DEFAULT_TIME_ZONE = "Europe/Luxembourg";

/** Fixed decimals without a "-0.00": a value that rounds to zero is printed unsigned. */
function fixed(value: number, decimals: number, lang: Language): string {
  return formatNumber(lang, value, decimals);
}

/** Power in kW: two decimals below 10 kW, one above ("0.90 kW", "3.21 kW", "12.3 kW"). */
export function formatKw(kw: number, lang: Language = "en"): string {
  return `${fixed(kw, Math.abs(kw) < 10 ? 2 : 1, lang)} kW`;
}

/** Energy in kWh: two decimals below 10, one below 100, none above ("8.42 kWh", "85.1 kWh", "412 kWh"). */
export function formatKwh(kwh: number, lang: Language = "en"): string {
  const a = Math.abs(kwh);
  return `${fixed(kwh, a < 10 ? 2 : a < 100 ? 1 : 0, lang)} kWh`;
}

const CURRENCY_SYMBOL: Readonly<Record<string, string>> = { EUR: "€", USD: "$", GBP: "£" };

/** Money with two decimals and the currency after it ("2.35 €", "-0.40 €", "12.00 CHF"). */
export function formatMoney(amount: number, currency: string, lang: Language = "en"): string {
  return `${fixed(amount, 2, lang)} ${CURRENCY_SYMBOL[currency.toUpperCase()] ?? currency}`;
}

/** Voltage, whole volts unless the meter sent a fraction ("231 V", "229.5 V"). */
export function formatVolts(v: number, lang: Language = "en"): string {
  return `${Number.isInteger(v) ? String(v) : fixed(v, 1, lang)} V`;
}

/**
 * Relative change of `current` against `previous` as a signed whole percentage ("+8 %", "-12 %", "+0 %");
 * undefined when there is nothing to compare with (previous missing or zero).
 */
export function formatChange(current: number, previous: number | null | undefined): string | undefined {
  if (previous === null || previous === undefined || previous <= 0) return undefined;
  const pct = Math.round(((current - previous) / previous) * 100);
  return `${pct < 0 ? "-" : "+"}${Math.abs(pct)} %`;
}

/** Elapsed time for humans: "4 s", "3 min", "2 h 5 min", "3 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

type Part = "weekday" | "day" | "month" | "hour" | "minute" | "second" | "year";

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(ms: number, timeZone: string): Record<Part, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return out as Record<Part, string>;
}

/** Local wall-clock time "18:45" (or "18:45:07" with seconds). */
export function formatClock(ms: number, timeZone = DEFAULT_TIME_ZONE, seconds = false): string {
  const p = parts(ms, timeZone);
  return seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
}

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SHORT_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/**
 * Local date: "Thu 2 Apr" in English, else from the language's own tables ("jeudi 2 avril", "Donneschdeg,
 * 2. Abrëll"); en-GB's short names are only read back into numbers ("Sept" or "Sep" alike).
 */
export function formatDate(ms: number, timeZone = DEFAULT_TIME_ZONE, lang: Language = "en"): string {
  const p = parts(ms, timeZone);
  if (lang === "en") return `${p.weekday} ${p.day} ${p.month}`;
  const month = SHORT_MONTHS.indexOf(p.month.slice(0, 3)) + 1;
  const weekday = SHORT_WEEKDAYS.indexOf(p.weekday.slice(0, 3)) + 1;
  return formatWeekdayDate(lang, weekday, month, Number(p.day));
}

/** "18:45" when `ms` falls on the same local day as `now`, else "Thu 2 Apr 18:45". */
export function formatWhen(ms: number, now: number, timeZone = DEFAULT_TIME_ZONE, lang: Language = "en"): string {
  const a = parts(ms, timeZone);
  const b = parts(now, timeZone);
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day;
  return sameDay ? `${a.hour}:${a.minute}` : `${formatDate(ms, timeZone, lang)} ${a.hour}:${a.minute}`;
}
