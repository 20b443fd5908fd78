/**
 * Numbers, dates and times as people in Luxembourg write them, in each language: 24-hour clock everywhere, decimal
 * comma in lb/fr/de ("2,35 kW"), "3 décembre 2026" in French, "3. Dezember 2026" in German and Luxembourgish.
 *
 * Our own tables and code, not Intl: Node builds differ in their locale data (small-icu has no lb, and fr/de
 * spacing changed between ICU versions), and the page runs this same code in the browser (browser-script.ts
 * sends these functions' text), so every place and every Node version gives the same text.
 * Keep every function here free of imports: the browser gets their source as it stands.
 */
import type { Language } from "./languages.js";

/** Month and weekday names; weekdays start on Monday (ISO 8601). Luxembourgish as the ZLS writes them. */
export const DATE_WORDS = {
  lb: {
    months: [
      "Januar",
      "Februar",
      "Mäerz",
      "Abrëll",
      "Mee",
      "Juni",
      "Juli",
      "August",
      "September",
      "Oktober",
      "November",
      "Dezember",
    ],
    weekdays: ["Méindeg", "Dënschdeg", "Mëttwoch", "Donneschdeg", "Freideg", "Samschdeg", "Sonndeg"],
  },
  fr: {
    months: [
      "janvier",
      "février",
      "mars",
      "avril",
      "mai",
      "juin",
      "juillet",
      "août",
      "septembre",
      "octobre",
      "novembre",
      "décembre",
    ],
    weekdays: ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
  },
  de: {
    months: [
      "Januar",
      "Februar",
      "März",
      "April",
      "Mai",
      "Juni",
      "Juli",
      "August",
      "September",
      "Oktober",
      "November",
      "Dezember",
    ],
    weekdays: ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
  },
  en: {
    months: [
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December",
    ],
    weekdays: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  },
} as const satisfies Record<Language, { months: readonly string[]; weekdays: readonly string[] }>;

/**
 * Decimal and thousands separators. French groups with a narrow no-break space (U+202F, as the Imprimerie
 * nationale and current CLDR do); German and Luxembourgish with a dot.
 */
export const SEPARATORS = {
  lb: { decimal: ",", group: "." },
  fr: { decimal: ",", group: "\u202f" },
  de: { decimal: ",", group: "." },
  en: { decimal: ".", group: "," },
} as const satisfies Record<Language, { decimal: string; group: string }>;

/** A number with exactly `decimals` decimals ("1.234,5" in de); a value that rounds to zero has no minus sign. */
export function formatNumber(lang: Language, value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return "—";
  let s = Math.abs(value).toFixed(decimals);
  const negative = value < 0 && Number(s) !== 0;
  const sep = SEPARATORS[lang] ?? SEPARATORS.en;
  const dot = s.indexOf(".");
  let int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? "" : s.slice(dot + 1);
  if (int.length > 3) int = int.replace(/\B(?=(\d{3})+$)/g, sep.group);
  s = frac ? `${int}${sep.decimal}${frac}` : int;
  return negative ? `-${s}` : s;
}

/** Money with two decimals and the symbol after it, as on a Luxembourg bill: "2,35 €" (fr/de/lb), "2.35 €" (en). */
export function formatMoney(lang: Language, amount: number, currency: string): string {
  const symbol = currency === "EUR" ? "€" : currency === "USD" ? "$" : currency === "GBP" ? "£" : currency;
  return `${formatNumber(lang, amount, 2)} ${symbol}`;
}

/** 24-hour clock "07:05", or "07:05:09" with seconds. */
export function formatClock(hour: number, minute: number, second?: number): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return second === undefined ? `${two(hour)}:${two(minute)}` : `${two(hour)}:${two(minute)}:${two(second)}`;
}

/** Month 1–12 → its name. */
export function monthName(lang: Language, month: number): string {
  return (DATE_WORDS[lang] ?? DATE_WORDS.en).months[month - 1] ?? String(month);
}

/** ISO weekday 1 (Monday) – 7 (Sunday) → its name. */
export function weekdayName(lang: Language, isoWeekday: number): string {
  return (DATE_WORDS[lang] ?? DATE_WORDS.en).weekdays[isoWeekday - 1] ?? String(isoWeekday);
}

/** Day and month: "3 December", "3 décembre" ("1er décembre"), "3. Dezember". */
export function formatDayMonth(lang: Language, month: number, day: number): string {
  const name = monthName(lang, month);
  if (lang === "de" || lang === "lb") return `${day}. ${name}`;
  if (lang === "fr") return `${day === 1 ? "1er" : day} ${name}`;
  return `${day} ${name}`;
}

/** A full date: "3 December 2026", "3 décembre 2026", "3. Dezember 2026". */
export function formatDate(lang: Language, year: number, month: number, day: number): string {
  return `${formatDayMonth(lang, month, day)} ${year}`;
}

/** A date with its weekday: "Thursday 3 December", "jeudi 3 décembre", "Donneschdeg, 3. Dezember". */
export function formatWeekdayDate(lang: Language, isoWeekday: number, month: number, day: number): string {
  const sep = lang === "de" || lang === "lb" ? ", " : " ";
  return `${weekdayName(lang, isoWeekday)}${sep}${formatDayMonth(lang, month, day)}`;
}

/** "December 2026", "décembre 2026", "Dezember 2026". */
export function formatMonthYear(lang: Language, year: number, month: number): string {
  return `${monthName(lang, month)} ${year}`;
}

/** Fills `{name}` placeholders of a message; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(template: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
