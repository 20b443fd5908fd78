import { describe, expect, it } from "vitest";
import { EnergyRegister, mixSeed, Prng } from "../src/index.js";

describe("EnergyRegister", () => {
  it("adds power × time without drift: 3.6 million steps of 1 W for 1 ms make exactly 1 Wh", () => {
    const r = new EnergyRegister(25_653);
    for (let i = 0; i < 3_600_000; i++) r.add(1, 1);
    expect(r.wholeUnits).toBe(25_654);
    // A float accumulator of kWh would be off by now; the register is exact.
    for (let i = 0; i < 1_000; i++) r.add(1_000, 3_600);
    expect(r.wholeUnits).toBe(26_654);
    expect(r.displayed).toBe(26.654);
    expect(r.exact).toBe(26.654);
  });

  it("truncates like the meter: 0.9999 Wh shows as nothing, the exact value keeps it", () => {
    const r = new EnergyRegister(1_000);
    r.add(3_599, 1_000);
    expect(r.displayed).toBe(1);
    expect(r.exact).toBeCloseTo(1.000999722, 9);
    r.add(1, 1_000);
    expect(r.displayed).toBe(1.001);
  });

  it("refuses negative or fractional power, which would make a register run backwards or drift", () => {
    const r = new EnergyRegister(0);
    expect(() => r.add(-1, 10)).toThrow(RangeError);
    expect(() => r.add(1.5, 10)).toThrow(RangeError);
  });
});

describe("Prng", () => {
  it("repeats its sequence for a seed and spreads values evenly over [0, 1)", () => {
    const a = new Prng(1);
    const b = new Prng(1);
    const xs = Array.from({ length: 20_000 }, () => a.next());
    expect(Array.from({ length: 20_000 }, () => b.next())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });

  it("gives neighbouring seeds unrelated streams", () => {
    expect(new Prng(1).nextUint32()).not.toBe(new Prng(2).nextUint32());
    expect(mixSeed(1, 2)).not.toBe(mixSeed(2, 1));
  });
});
