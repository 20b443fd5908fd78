import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatChange,
  formatClock,
  formatDate,
  formatKw,
  formatKwh,
  formatMoney,
  formatVolts,
  formatWhen,
} from "../../src/xmpp/format.js";

describe("formatKw", () => {
  it("shows two decimals below 10 kW and one above", () => {
    expect(formatKw(0.897)).toBe("0.90 kW");
    expect(formatKw(3.2149)).toBe("3.21 kW");
    expect(formatKw(12.345)).toBe("12.3 kW");
    expect(formatKw(-0.319)).toBe("-0.32 kW");
  });

  it("never prints a negative zero", () => {
    expect(formatKw(-0.0001)).toBe("0.00 kW");
  });
});

describe("formatKwh", () => {
  it("uses fewer decimals as the energy grows", () => {
    expect(formatKwh(8.4249)).toBe("8.42 kWh");
    expect(formatKwh(85.14)).toBe("85.1 kWh");
    expect(formatKwh(412.6)).toBe("413 kWh");
  });
});

describe("formatMoney", () => {
  it("puts the currency symbol after two decimals", () => {
    expect(formatMoney(2.345, "EUR")).toBe("2.35 €");
    expect(formatMoney(-0.4, "EUR")).toBe("-0.40 €");
    expect(formatMoney(12, "CHF")).toBe("12.00 CHF");
  });
});

describe("formatVolts", () => {
  it("drops the decimal of whole volts", () => {
    expect(formatVolts(231)).toBe("231 V");
    expect(formatVolts(229.5)).toBe("229.5 V");
  });
});

describe("formatChange", () => {
  it("gives a signed whole percentage against the previous value", () => {
    expect(formatChange(108, 100)).toBe("+8 %");
    expect(formatChange(88, 100)).toBe("-12 %");
    expect(formatChange(100, 100)).toBe("+0 %");
  });

  it("has nothing to say without a previous value", () => {
    expect(formatChange(5, 0)).toBeUndefined();
    expect(formatChange(5, null)).toBeUndefined();
  });
});

describe("formatAge", () => {
  it("reads naturally from seconds to days", () => {
    expect(formatAge(4_400)).toBe("4 s");
    expect(formatAge(185_000)).toBe("3 min");
    expect(formatAge(2 * 3_600_000 + 5 * 60_000)).toBe("2 h 5 min");
    expect(formatAge(3 * 3_600_000)).toBe("3 h");
    expect(formatAge(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
  });
});

describe("local times", () => {
  // 2026-04-03T15:54:31Z is 17:54:31 in Luxembourg (CEST, UTC+2).
  const t = Date.UTC(2026, 3, 3, 15, 54, 31);

  it("formats wall-clock time and date in the household's time zone", () => {
    expect(formatClock(t)).toBe("17:54");
    expect(formatClock(t, "Europe/Luxembourg", true)).toBe("17:54:31");
    expect(formatClock(t, "UTC")).toBe("15:54");
    expect(formatDate(t)).toBe("Fri 3 Apr");
  });

  it("omits the date for a time on the same local day", () => {
    expect(formatWhen(t, t + 3_600_000)).toBe("17:54");
    // 22:30Z is already the next day in Luxembourg (00:30 CEST).
    expect(formatWhen(t, Date.UTC(2026, 3, 3, 22, 30))).toBe("Fri 3 Apr 17:54");
  });
});
