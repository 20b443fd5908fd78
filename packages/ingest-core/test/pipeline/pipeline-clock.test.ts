import { ingestHealthSchema } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { createLogger, ManualClock } from "@smarty/service-kit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import { encryptedFrame, essentials, expected, FIRST_COUNTER, KEY, T0 } from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { ClockCheck } from "../../src/pipeline/clock-check.js";
import { IngestMonitor } from "../../src/pipeline/ingest-monitor.js";
import { Pipeline } from "../../src/pipeline/pipeline.js";

function setup() {
  const clock = new ManualClock(T0);
  const logs = captureLogs(createLogger, "ingest");
  const monitor = new IngestMonitor({ clock, logger: logs.logger });
  const readings: Reading[] = [];
  const clockCheck = new ClockCheck({ toleranceMs: 15 * 60_000, clock, logger: logs.logger });
  const pipeline = new Pipeline({
    decoder: { key: KEY },
    monitor,
    clock,
    logger: logs.logger,
    clockCheck,
    onReading: (r) => readings.push(r),
  });
  monitor.sourceOpened();
  const health = () =>
    ingestHealthSchema.parse(
      monitor.snapshot({ instance: "main", source: "x", startedAt: 0, reconnects: 0, queueLength: 0, dropped: 0 }),
    );
  return { clock, monitor, readings, pipeline, logs, health };
}

/** Frame i of the test meter, whose telegram time is T0 + i × 10 s. */
const frame = (i: number, counter = FIRST_COUNTER + i) => encryptedFrame(i, { counter });

describe("Pipeline: meter time far from the clocks", () => {
  it("does not publish a reading from the future, counts it, and keeps accepting the real meter", () => {
    const { clock, pipeline, readings, monitor, health } = setup();
    pipeline.push(frame(0));
    clock.advance(10_000);
    // An authentic frame (next counter) whose telegram time is a day ahead: a meter clock gone wrong.
    pipeline.push(frame(8640, FIRST_COUNTER + 1));
    clock.advance(10_000);
    pipeline.push(frame(2));
    expect(readings.map(essentials)).toEqual([expected(0), expected(2)]);
    expect(monitor.counters.clock_suspect_readings).toBe(1);
    expect(monitor.counters.stale_readings).toBe(0);
    expect(health().clock_suspect_readings).toBe(1);
  });

  it("says so in the state and the hint when every reading is suspect", () => {
    const { clock, pipeline, monitor, logs } = setup();
    pipeline.push(frame(0));
    // The meter's clock jumps two hours ahead and stays there.
    for (let i = 1; i <= 3; i++) {
      clock.advance(10_000);
      pipeline.push(frame(720 + i, FIRST_COUNTER + i));
    }
    expect(monitor.currentState).toBe("errors");
    expect(monitor.currentHint).toMatch(/INGEST_CLOCK_TOLERANCE/);
    expect(logs.messages()).toContain("meter time far from this host's clocks: reading not published");
  });
});
