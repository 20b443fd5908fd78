import { describe, expect, it } from "vitest";
import { FrameCounterTracker, FreshnessGuard } from "../../src/pipeline/frame-checks.js";

describe("FrameCounterTracker", () => {
  it("accepts the next counter, counts a gap, rejects a repeat or an older counter", () => {
    const t = new FrameCounterTracker();
    expect(t.check("st", 10)).toEqual({ kind: "first" });
    expect(t.check("st", 11)).toEqual({ kind: "next", missed: 0 });
    expect(t.check("st", 15)).toEqual({ kind: "next", missed: 3 });
    expect(t.check("st", 15)).toEqual({ kind: "replay", last: 15 });
    expect(t.check("st", 12)).toEqual({ kind: "replay", last: 15 });
    expect(t.check("st", 16)).toEqual({ kind: "next", missed: 0 });
  });

  it("calls a step back beyond the replay window a counter reset, and continues from there", () => {
    const t = new FrameCounterTracker({ replayWindow: 100 });
    t.check("st", 1000);
    expect(t.check("st", 899)).toEqual({ kind: "meter_change", reason: "counter_reset", last: 1000 });
    expect(t.check("st", 900)).toEqual({ kind: "next", missed: 0 });
  });

  it("calls a second system title a meter change unless it has its own configured key", () => {
    const t = new FrameCounterTracker({ knownTitles: new Set(["b"]) });
    t.check("a", 1);
    expect(t.check("b", 1)).toEqual({ kind: "first" });
    expect(t.check("c", 1)).toEqual({ kind: "meter_change", reason: "new_system_title" });
    expect(t.systemTitles).toEqual(["a", "b", "c"]);
  });
});

describe("FreshnessGuard", () => {
  it("lets only newer telegram times through, per meter", () => {
    const g = new FreshnessGuard();
    expect(g.isNewer("m1", 1000)).toBe(true);
    g.accept("m1", 1000);
    expect(g.isNewer("m1", 1000)).toBe(false);
    expect(g.isNewer("m1", 999)).toBe(false);
    expect(g.isNewer("m1", 1001)).toBe(true);
    expect(g.isNewer("m2", 5)).toBe(true);
    expect(g.lastTime("m1")).toBe(1000);
  });
});
