import { describe, expect, it } from "vitest";
import { ManualClock, systemClock } from "../src/clock.js";
import { formatDuration, parseDuration } from "../src/duration.js";

describe("ManualClock", () => {
  it("fires timeouts and intervals in time order as time advances", () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`t@${clock.now()}`), 250);
    const iv = clock.setInterval(() => fired.push(`i@${clock.now()}`), 100);
    clock.advance(300);
    expect(fired).toEqual(["i@100", "i@200", "t@250", "i@300"]);
    clock.clearInterval(iv);
    clock.advance(1000);
    expect(fired).toHaveLength(4);
    expect(clock.now()).toBe(1300);
  });
});

describe("durations", () => {
  it("parses the units of the configuration and bare seconds", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1.5h")).toBe(5_400_000);
    expect(parseDuration("30")).toBe(30_000);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration("-1s")).toBeUndefined();
  });

  it("formats for humans", () => {
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(86_400_000 + 3_600_000)).toBe("1d1h");
    expect(formatDuration(250)).toBe("250ms");
  });
});

describe("monotonic time", () => {
  it("ManualClock: advance moves wall and monotonic time, a wall clock jump (set) moves only the wall", () => {
    const clock = new ManualClock(1_000_000);
    const m0 = clock.monotonic();
    clock.advance(5000);
    expect(clock.monotonic() - m0).toBe(5000);
    clock.set(0);
    expect(clock.monotonic() - m0).toBe(5000);
    clock.advance(250);
    expect(clock.monotonic() - m0).toBe(5250);
    expect(clock.now()).toBe(250);
  });

  it("ManualClock: timers see monotonic time at their own due time", () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.monotonic()), 100);
    clock.advance(300);
    expect(seen).toEqual([100]);
  });

  it("systemClock: monotonic time never goes back", () => {
    const a = systemClock.monotonic();
    expect(systemClock.monotonic()).toBeGreaterThanOrEqual(a);
  });
});
