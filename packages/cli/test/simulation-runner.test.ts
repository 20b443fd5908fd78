import { MeterSimulator } from "@smarty/simulator";
import { describe, expect, it } from "vitest";
import type { FrameOutput } from "../src/frame-output.js";
import { frameBytes, runSimulation } from "../src/simulation-runner.js";

class MemoryOutput implements FrameOutput {
  readonly description = "memory";
  closed = false;
  readonly writes: { at: number; bytes: Buffer }[] = [];
  constructor(private readonly clock: { t: number }) {}
  start(): Promise<void> {
    return Promise.resolve();
  }
  write(bytes: Buffer): Promise<void> {
    this.writes.push({ at: this.clock.t, bytes });
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** A fake clock: sleeping moves time forward at once, so pacing is checked without waiting. */
function fakeTime(start: number) {
  const clock = { t: start };
  return {
    clock,
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.t += ms;
      return Promise.resolve();
    },
  };
}

const sim = (intervalMs = 10_000) => new MeterSimulator({ seed: 3, start: Date.UTC(2026, 4, 1), intervalMs });

describe("runSimulation", () => {
  it("writes frame n at start + n × interval ÷ speed, even when writes take time", async () => {
    const time = fakeTime(1_000_000);
    const out = new MemoryOutput(time.clock);
    const slowOut = Object.assign(out, {
      write(bytes: Buffer) {
        out.writes.push({ at: time.clock.t, bytes });
        time.clock.t += 1_500; // a slow output must not make the stream drift
        return Promise.resolve();
      },
    });
    const signal = new AbortController().signal;
    const n = await runSimulation({
      simulator: sim(),
      output: slowOut,
      encoding: { plain: true, hex: false },
      count: 4,
      speed: 2,
      signal,
      now: time.now,
      sleep: time.sleep,
    });
    expect(n).toBe(4);
    expect(out.writes.map((w) => w.at - 1_000_000)).toEqual([0, 5_000, 10_000, 15_000]);
  });

  it("does not wait at speed max, and stops when aborted or when the output closes", async () => {
    const time = fakeTime(0);
    const out = new MemoryOutput(time.clock);
    const controller = new AbortController();
    const n = await runSimulation({
      simulator: sim(),
      output: out,
      encoding: { plain: false, hex: true },
      speed: "max",
      signal: controller.signal,
      now: time.now,
      sleep: time.sleep,
      onFrame: (f) => {
        if (f.index === 9) controller.abort();
        if (f.index === 100) out.closed = true;
      },
    });
    expect(n).toBe(10);
    expect(time.clock.t).toBe(0);
    expect(out.writes[0]!.bytes.toString()).toMatch(/^[0-9a-f]+\n$/);
  });

  it("writes the encrypted frame unless plain, and the telegram otherwise", () => {
    const s = new MeterSimulator({ seed: 1, start: 0, key: Buffer.alloc(16, 7) });
    const f = s.next();
    expect(frameBytes(f, { plain: false, hex: false }).equals(f.frame!)).toBe(true);
    expect(frameBytes(f, { plain: true, hex: false }).toString("latin1")).toBe(f.telegram);
  });
});
