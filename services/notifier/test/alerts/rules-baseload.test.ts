import { describe, expect, it } from "vitest";
import { baseloadSignal } from "../../src/alerts/rules-baseload.js";
import { defaultFileConfig } from "../../src/config-file.js";

const rules = defaultFileConfig().alerts.rules;
const rule = rules.baseload_high;
// 14 usual days: median of these is (180 + 200) / 2 = 190 W.
const USUAL = [150, 160, 170, 175, 180, 180, 180, 200, 200, 210, 220, 230, 240, 250];

describe("baseload_high", () => {
  it("has its defaults in the rule file: 1.5 × the 14-day median and at least +50 W, daily cooldown", () => {
    expect(rule).toMatchObject({ enabled: true, ratio: 1.5, min_increase_w: 50, days: 14, min_days: 7 });
    expect(rule.cooldown).toBe(24 * 3_600_000);
  });

  it("holds when a day's baseload is above 1.5 × the median of the days before and 50 W more", () => {
    // 1.5 × 190 = 285 W and 190 + 50 = 240 W: the larger bound, 285 W, must be passed.
    expect(baseloadSignal(rule, 290, USUAL)).toMatchObject({
      id: "baseload_high",
      condition: true,
      value: 290,
      message: "Baseload 290 W yesterday, usually 190 W (median of 14 days): something new stays on",
    });
    expect(baseloadSignal(rule, 285, USUAL)?.condition).toBe(false);
  });

  it("needs the absolute increase too: a tiny baseload doubling is no alert", () => {
    // median 40 W: 1.5 × 40 = 60 W, but 40 + 50 = 90 W is the bound.
    const small = Array.from({ length: 14 }, () => 40);
    expect(baseloadSignal(rule, 80, small)?.condition).toBe(false);
    expect(baseloadSignal(rule, 95, small)?.condition).toBe(true);
  });

  it("says nothing without a baseload for the day or with fewer than 7 days to compare", () => {
    expect(baseloadSignal(rule, null, USUAL)).toBeUndefined();
    expect(baseloadSignal(rule, 900, USUAL.slice(0, 6))).toBeUndefined();
    expect(baseloadSignal(rule, 900, USUAL.slice(0, 7))?.condition).toBe(true);
  });

  it("uses only the last 14 days", () => {
    const old = Array.from({ length: 20 }, () => 1000);
    expect(baseloadSignal(rule, 290, [...old, ...USUAL])?.condition).toBe(true);
  });
});
