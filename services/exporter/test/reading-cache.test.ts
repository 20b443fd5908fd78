import { ManualClock } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { ReadingCache } from "../src/reading-cache.js";
import { simulatedReading } from "./simulated-reading.js";

const T0 = Date.UTC(2026, 0, 1, 12);
const reading = (meterId: string, elapsedS = 0) =>
  simulatedReading({ meterId, timeMs: T0 + elapsedS * 1000, elapsedS });
const ids = (c: ReadingCache) => c.fresh().map((r) => r.reading.meter_id);

describe("ReadingCache", () => {
  it("keeps the latest reading per meter and orders meters by id", () => {
    const clock = new ManualClock(T0);
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
    cache.put(reading("B"), false, "B");
    cache.put(reading("A"), false, "A");
    cache.put(reading("B", 10), false, "B");
    expect(ids(cache)).toEqual(["A", "B"]);
    expect(cache.fresh()[1]?.reading.time).toBe(reading("B", 10).time);
  });

  it("drops a reading older than the stale age, measured from its arrival", () => {
    const clock = new ManualClock(T0);
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
    cache.put(reading("A"), false, "A");
    clock.advance(30_000);
    cache.put(reading("B"), false, "B");
    clock.advance(30_000);
    expect(ids(cache)).toEqual(["A", "B"]);
    clock.advance(1);
    expect(ids(cache)).toEqual(["B"]);
    clock.advance(30_000);
    expect(ids(cache)).toEqual([]);
  });

  it("does not refresh the arrival time when the same retained reading arrives again", () => {
    const clock = new ManualClock(T0);
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
    const r = reading("A");
    expect(cache.put(r, true, "A")).toBe("stored");
    clock.advance(50_000);
    // A reconnect delivers the retained copy again: it is the same telegram.
    expect(cache.put(r, true, "A")).toBe("unchanged");
    clock.advance(10_001);
    expect(ids(cache)).toEqual([]);
    // Even after going stale, the old retained telegram stays stale.
    expect(cache.put(r, true, "A")).toBe("unchanged");
    expect(ids(cache)).toEqual([]);
    // A new telegram brings the meter back.
    cache.put(reading("A", 70), false, "A");
    expect(ids(cache)).toEqual(["A"]);
  });

  it("counts a retained reading seen for the first time as arrived now", () => {
    const clock = new ManualClock(T0 + 3_600_000);
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
    cache.put(reading("A"), true, "A");
    expect(cache.fresh()[0]?.arrivedAt).toBe(clock.now());
  });

  it("forgets a meter whose retained topic was cleared", () => {
    const cache = new ReadingCache({ clock: new ManualClock(T0), staleAfterMs: 60_000 });
    cache.put(reading("A"), true, "A");
    expect(cache.removeByTopic("nope")).toBe(false);
    expect(cache.removeByTopic("A")).toBe(true);
    expect(ids(cache)).toEqual([]);
  });

  it("remembers at most maxMeters meters, dropping the longest silent one", () => {
    const clock = new ManualClock(T0);
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000, maxMeters: 2 });
    cache.put(reading("A"), false, "A");
    clock.advance(1);
    cache.put(reading("B"), false, "B");
    clock.advance(1);
    cache.put(reading("C"), false, "C");
    expect(ids(cache)).toEqual(["B", "C"]);
    expect(cache.size).toBe(2);
  });
});
