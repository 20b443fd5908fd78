import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/xmpp/backoff.js";

describe("backoffDelay", () => {
  const middle = { minMs: 1000, maxMs: 300_000, random: () => 0.5 };

  it("doubles from the minimum up to the maximum", () => {
    expect([0, 1, 2, 3, 8, 9, 50].map((n) => backoffDelay(n, middle))).toEqual([
      1000, 2000, 4000, 8000, 256_000, 300_000, 300_000,
    ]);
  });

  it("spreads attempts by ±20 % without leaving the bounds", () => {
    expect(backoffDelay(3, { ...middle, random: () => 0 })).toBe(6400);
    expect(backoffDelay(3, { ...middle, random: () => 0.999_999 })).toBe(9600);
    expect(backoffDelay(0, { ...middle, random: () => 0 })).toBe(1000);
    expect(backoffDelay(20, { ...middle, random: () => 0.999_999 })).toBe(300_000);
  });
});
