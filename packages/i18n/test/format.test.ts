/** Numbers, dates and times per language, against hand-written strings (no Intl on either side). */
import { describe, expect, it } from "vitest";
import {
  formatClock,
  formatDate,
  formatMoney,
  formatMonthYear,
  formatNumber,
  formatWeekdayDate,
  monthName,
  pickLanguage,
  weekdayName,
} from "../src/index.js";

describe("formatNumber", () => {
  it("uses a decimal comma in lb, fr and de and a point in en", () => {
    expect(formatNumber("lb", 2.345, 2)).toBe("2,35");
    expect(formatNumber("fr", 2.345, 2)).toBe("2,35");
    expect(formatNumber("de", 0.5, 1)).toBe("0,5");
    expect(formatNumber("en", 2.345, 2)).toBe("2.35");
  });

  it("groups thousands as each language does", () => {
    expect(formatNumber("de", 12345.678, 3)).toBe("12.345,678");
    expect(formatNumber("lb", 1234567, 0)).toBe("1.234.567");
    expect(formatNumber("fr", 12345.678, 3)).toBe("12\u202f345,678");
    expect(formatNumber("en", 12345.678, 3)).toBe("12,345.678");
    expect(formatNumber("de", 999.5, 1)).toBe("999,5");
  });

  it("signs negatives and never prints -0", () => {
    expect(formatNumber("fr", -1.5, 1)).toBe("-1,5");
    expect(formatNumber("de", -0.001, 2)).toBe("0,00");
    expect(formatNumber("en", Number.NaN, 2)).toBe("—");
  });

  it("writes money with the symbol after the amount", () => {
    expect(formatMoney("fr", 1234.5, "EUR")).toBe("1\u202f234,50 €");
    expect(formatMoney("de", 2.35, "EUR")).toBe("2,35 €");
    expect(formatMoney("en", 2.35, "EUR")).toBe("2.35 €");
    expect(formatMoney("lb", 12, "CHF")).toBe("12,00 CHF");
  });
});

describe("dates and times", () => {
  it("writes dates as people do", () => {
    expect(formatDate("fr", 2026, 12, 3)).toBe("3 décembre 2026");
    expect(formatDate("fr", 2026, 12, 1)).toBe("1er décembre 2026");
    expect(formatDate("de", 2026, 12, 3)).toBe("3. Dezember 2026");
    expect(formatDate("lb", 2026, 12, 3)).toBe("3. Dezember 2026");
    expect(formatDate("lb", 2026, 3, 14)).toBe("14. Mäerz 2026");
    expect(formatDate("en", 2026, 12, 3)).toBe("3 December 2026");
    expect(formatMonthYear("fr", 2026, 8)).toBe("août 2026");
  });

  it("carries the Luxembourgish month and weekday names", () => {
    expect([...Array(12)].map((_, i) => monthName("lb", i + 1))).toEqual([
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
    ]);
    expect([...Array(7)].map((_, i) => weekdayName("lb", i + 1))).toEqual([
      "Méindeg",
      "Dënschdeg",
      "Mëttwoch",
      "Donneschdeg",
      "Freideg",
      "Samschdeg",
      "Sonndeg",
    ]);
  });

  it("writes a date with its weekday", () => {
    expect(formatWeekdayDate("lb", 4, 12, 3)).toBe("Donneschdeg, 3. Dezember");
    expect(formatWeekdayDate("de", 4, 12, 3)).toBe("Donnerstag, 3. Dezember");
    expect(formatWeekdayDate("fr", 4, 12, 3)).toBe("jeudi 3 décembre");
    expect(formatWeekdayDate("en", 4, 12, 3)).toBe("Thursday 3 December");
  });

  it("uses the 24-hour clock", () => {
    expect(formatClock(7, 5)).toBe("07:05");
    expect(formatClock(18, 45, 9)).toBe("18:45:09");
  });
});

describe("language choice", () => {
  it("takes the first browser language it speaks", () => {
    expect(pickLanguage(["fr-LU", "en"])).toBe("fr");
    expect(pickLanguage(["it", "de-CH"])).toBe("de");
    expect(pickLanguage(["lb"])).toBe("lb");
    expect(pickLanguage(["pt-PT"])).toBe("en");
    expect(pickLanguage([])).toBe("en");
  });
});
