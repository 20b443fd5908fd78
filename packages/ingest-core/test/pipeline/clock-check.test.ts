import { createLogger, ManualClock } from "@smarty/service-kit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import { describe, expect, it } from "vitest";
import { ClockCheck, WALL_CLOCK_FLOOR } from "../../src/pipeline/clock-check.js";

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const TOL = 15 * MIN;

function setup(start = NOW, toleranceMs = TOL) {
  const clock = new ManualClock(start);
  const logs = captureLogs(createLogger, "ingest");
  const check = new ClockCheck({ toleranceMs, clock, logger: logs.logger });
  /** One reading every 10 s from `t0`: accepted when the check says so, as the pipeline does. */
  const feed = (meter: string, t: number) => {
    const verdict = check.check(meter, t);
    if (verdict.ok) check.accept(meter, t);
    return verdict;
  };
  return { clock, check, logs, feed };
}

describe("ClockCheck", () => {
  it("accepts meter time within the tolerance of a synced wall clock, and flags it beyond", () => {
    const { feed } = setup();
    expect(feed("M", NOW + TOL + 1000)).toMatchObject({ ok: false, reason: "far_from_wall_clock" });
    expect(feed("M", NOW - 2 * HOUR)).toMatchObject({ ok: false, reason: "far_from_wall_clock" });
    expect(feed("M", NOW + 5000)).toEqual({ ok: true });
  });

  it("bounds how far meter time may run ahead of the last accepted reading, by monotonic time", () => {
    const { clock, feed } = setup();
    expect(feed("M", NOW).ok).toBe(true);
    clock.advance(10_000);
    // A forged reading from tomorrow: ahead of the last one by far more than the 10 s that passed.
    expect(feed("M", NOW + 24 * HOUR)).toMatchObject({ ok: false, reason: "ahead_of_last_reading" });
    expect(feed("M", NOW + 10_000).ok).toBe(true);
  });

  it("a wall clock set back (a Pi without RTC before NTP) does not make the live meter suspect", () => {
    const { clock, feed, logs } = setup();
    expect(feed("M", NOW).ok).toBe(true);
    clock.set(WALL_CLOCK_FLOOR - 30 * 24 * HOUR);
    for (let i = 1; i <= 5; i++) {
      clock.advance(10_000);
      expect(feed("M", NOW + i * 10_000).ok).toBe(true);
    }
    expect(logs.messages().filter((m) => m.startsWith("wall clock looks unsynced"))).toHaveLength(1);
  });

  it("after a restart with an unsynced wall clock, accepts the first reading and bounds the next ones by it", () => {
    const { clock, check, feed } = setup(Date.UTC(1970, 0, 1));
    check.restore("M", NOW);
    expect(feed("M", NOW + 3 * HOUR).ok).toBe(true);
    clock.advance(10_000);
    expect(feed("M", NOW + 5 * 24 * HOUR)).toMatchObject({ ok: false, reason: "ahead_of_last_reading" });
  });

  it("a wall clock that looks synced but is days behind (fake-hwclock, no network) gives way to a steady meter", () => {
    // The host restored the time it saved before a week-long power cut: later than the last reading, so it looks
    // plausible, yet a week behind the meter.
    const lastReading = NOW - 7 * 24 * HOUR;
    const { clock, check, feed, logs } = setup(lastReading + 5 * MIN);
    check.restore("M", lastReading);
    const verdicts = [0, 1, 2, 3, 4].map((i) => {
      if (i > 0) clock.advance(10_000);
      return feed("M", NOW + i * 10_000).ok;
    });
    expect(verdicts).toEqual([false, false, true, true, true]);
    expect(logs.messages()).toContain(
      "meter time disagrees with the wall clock but advances steadily: wall clock probably wrong",
    );
  });

  it("never lets a steady run of forged readings in while the real meter is being accepted", () => {
    const { clock, feed } = setup();
    expect(feed("M", NOW).ok).toBe(true);
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      expect(feed("M", NOW + 30 * 24 * HOUR + i * 1000).ok).toBe(false);
    }
  });

  it("is off with a tolerance of 0", () => {
    const { feed } = setup(NOW, 0);
    expect(feed("M", NOW + 365 * 24 * HOUR).ok).toBe(true);
  });
});
