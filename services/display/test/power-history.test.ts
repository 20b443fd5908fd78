import { describe, expect, it } from "vitest";
import { HISTORY_WINDOW_MS, PowerHistory } from "../src/power-history.js";

describe("PowerHistory", () => {
  it("keeps ten minutes of samples, oldest first", () => {
    const h = new PowerHistory();
    for (let i = 0; i <= 70; i++) h.push(i * 10_000, i);
    const s = h.samples(700_000);
    // 700 s − 600 s = 100 s: samples from t = 100 s (i = 10) to 700 s (i = 70).
    expect(s[0]).toEqual([100_000, 10]);
    expect(s.at(-1)).toEqual([700_000, 70]);
    expect(s).toHaveLength(61);
  });

  it("never holds more than its capacity, however fast samples arrive", () => {
    const h = new PowerHistory(5, HISTORY_WINDOW_MS);
    for (let i = 0; i < 1000; i++) h.push(i, -i);
    expect(h.size).toBe(5);
    expect(h.samples(999).map(([, w]) => w)).toEqual([-995, -996, -997, -998, -999]);
  });

  it("forgets everything after ten minutes without samples", () => {
    const h = new PowerHistory();
    h.push(0, 100);
    expect(h.samples(HISTORY_WINDOW_MS)).toHaveLength(1);
    expect(h.samples(HISTORY_WINDOW_MS + 1)).toHaveLength(0);
  });

  it("restarts when the clock steps back, so the sparkline never runs backwards", () => {
    const h = new PowerHistory();
    h.push(50_000, 1);
    h.push(60_000, 2);
    h.push(10_000, 3);
    expect(h.samples(10_000)).toEqual([[10_000, 3]]);
  });
});
