import { describe, expect, it } from "vitest";
import { MeterClockGuard } from "../../src/statistics/meter-clock.js";

const S = 1000;
const MIN = 60 * S;
const NOW = Date.parse("2026-06-10T08:00:00Z");
const Y2099 = Date.parse("2099-06-10T08:00:00Z");

/** A guard with a wall clock and a monotonic clock the test moves; 5 min tolerance. */
function setup(wallStart = NOW, toleranceMs = 5 * MIN) {
  const t = { wall: wallStart, mono: 1000 };
  const guard = new MeterClockGuard({ toleranceMs, wallNow: () => t.wall, monotonicNow: () => t.mono });
  const pass = (ms: number) => {
    t.wall += ms;
    t.mono += ms;
  };
  return { t, guard, pass };
}

describe("meter time against the clocks", () => {
  it("takes readings near a synced wall clock and rejects one dated 2099, then takes the next real one", () => {
    const { guard, pass } = setup();
    expect(guard.check("m", NOW, null).ok).toBe(true);
    guard.accepted("m", NOW);
    pass(10 * S);
    const v = guard.check("m", Y2099, NOW);
    expect(v).toMatchObject({ ok: false, wallSynced: true });
    expect(v.ok === false && v.aheadMs).toBeGreaterThan(70 * 365 * 86_400_000);
    pass(10 * S);
    expect(guard.check("m", NOW + 20 * S, NOW).ok).toBe(true);
  });

  it("rejects a first reading far ahead of a synced wall clock, and takes one a little ahead", () => {
    const { guard } = setup();
    expect(guard.check("m", Y2099, null).ok).toBe(false);
    expect(guard.check("m", NOW + 4 * MIN, null).ok).toBe(true);
  });

  it("takes readings from the past (a broker backlog replayed by ingest)", () => {
    const { guard } = setup();
    expect(guard.check("m", NOW - 20 * 3_600_000, null).ok).toBe(true);
  });

  it("does not judge by a wall clock that is not synced (a Pi without RTC booted in 1970): the anchor decides", () => {
    const { guard, pass, t } = setup(Date.parse("1970-01-01T00:01:00Z"));
    // No anchor and no usable wall clock: nothing to judge against.
    expect(guard.check("m", NOW, null).ok).toBe(true);
    guard.accepted("m", NOW);
    for (let i = 1; i <= 30; i++) {
      pass(10 * S);
      expect(guard.check("m", NOW + i * 10 * S, NOW + (i - 1) * 10 * S).ok).toBe(true);
      guard.accepted("m", NOW + i * 10 * S);
    }
    const anchor = NOW + 300 * S;
    const v = guard.check("m", Y2099, anchor);
    expect(v).toMatchObject({ ok: false, wallSynced: false });
    // NTP syncs: the wall clock is used again.
    t.wall = anchor + 10 * S;
    expect(guard.check("m", anchor + 10 * S, anchor).ok).toBe(true);
  });

  it("uses the persisted anchor after a restart: the meter may advance by the time since the start + tolerance", () => {
    const { guard, pass } = setup(Date.parse("1970-01-01T00:01:00Z"));
    // Anchor from Redis, restarted 10 s ago, wall clock not synced.
    pass(10 * S);
    expect(guard.check("m", NOW + 3 * MIN, NOW).ok).toBe(true);
    expect(guard.check("m", NOW + 6 * MIN, NOW).ok).toBe(false);
  });

  it("re-anchors on a steady meter time when the wall clock cannot be used (the host was off longer than the tolerance)", () => {
    const { guard, pass } = setup(Date.parse("1970-01-01T00:01:00Z"));
    const anchor = NOW - 2 * 3_600_000; // the last reading before a two-hour power cut
    let meter = NOW;
    expect(guard.check("m", meter, anchor).ok).toBe(false);
    let accepted = false;
    for (let i = 0; i < 60 && !accepted; i++) {
      pass(10 * S);
      meter += 10 * S;
      const v = guard.check("m", meter, anchor);
      accepted = v.ok;
      if (v.ok) expect(v.reanchored).toBe(true);
    }
    expect(accepted).toBe(true);
    expect(meter - NOW).toBeGreaterThanOrEqual(5 * MIN);
  });

  it("never re-anchors on a meter time far ahead of a synced wall clock", () => {
    const { guard, pass } = setup();
    guard.accepted("m", NOW);
    let meter = Y2099;
    for (let i = 0; i < 100; i++) {
      pass(10 * S);
      meter += 10 * S;
      expect(guard.check("m", meter, NOW).ok).toBe(false);
    }
  });

  it("is off with a tolerance of 0", () => {
    const { guard } = setup(NOW, 0);
    expect(guard.check("m", Y2099, NOW).ok).toBe(true);
  });
});
