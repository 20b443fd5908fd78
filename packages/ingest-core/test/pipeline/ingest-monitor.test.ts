import { ingestHealthSchema } from "@smarty/contracts";
import { createLogger, ManualClock } from "@smarty/service-kit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import { describe, expect, it } from "vitest";
import { HINTS, IngestMonitor } from "../../src/pipeline/ingest-monitor.js";

function setup() {
  const clock = new ManualClock();
  const logs = captureLogs(createLogger, "ingest");
  const monitor = new IngestMonitor({ clock, logger: logs.logger, failureRun: 3, noFramesTimeoutMs: 30_000 });
  const changes: string[] = [];
  monitor.on("change", (s) => changes.push(s));
  monitor.start();
  return { clock, logs, monitor, changes };
}

describe("IngestMonitor", () => {
  it("says no_frames with the inverted-signal hint after 30 s of bytes without a frame", () => {
    const { clock, monitor, logs } = setup();
    monitor.sourceOpened();
    for (let s = 0; s < 29; s++) {
      monitor.bytes(100);
      clock.advance(1000);
    }
    expect(monitor.currentState).toBe("starting");
    clock.advance(1000);
    expect(monitor.currentState).toBe("no_frames");
    expect(monitor.currentHint).toBe(HINTS.no_frames);
    expect(monitor.currentHint).toContain("signal probably not inverted / wrong baud rate");
    expect(logs.messages().filter((m) => m.includes("not inverted"))).toHaveLength(1);
  });

  it("says no_data when nothing at all arrives", () => {
    const { clock, monitor } = setup();
    monitor.sourceOpened();
    clock.advance(30_000);
    expect(monitor.currentState).toBe("no_data");
  });

  it("goes to wrong_key after a run of authentication failures, logs it once, and recovers on a good frame", () => {
    const { monitor, logs, changes } = setup();
    monitor.sourceOpened();
    for (let i = 0; i < 10; i++) {
      monitor.frameSeen();
      monitor.authenticationFailed(false);
    }
    expect(monitor.currentState).toBe("wrong_key");
    expect(logs.messages().filter((m) => m.startsWith("P1 key is probably wrong"))).toHaveLength(1);
    monitor.frameSeen();
    monitor.frameOk("M1");
    expect(monitor.currentState).toBe("ok");
    expect(changes).toEqual(["wrong_key", "ok"]);
  });

  it("reports disconnected while the source is away and the end of a file", () => {
    const { monitor } = setup();
    monitor.sourceOpened();
    monitor.frameOk("M1");
    monitor.sourceLost();
    expect(monitor.currentState).toBe("disconnected");
    monitor.sourceOpened();
    expect(monitor.currentState).toBe("ok");
    monitor.sourceEnded();
    expect(monitor.currentHint).toBe(HINTS.ended);
  });

  it("produces a health payload that satisfies the contract", () => {
    const { clock, monitor } = setup();
    monitor.sourceOpened();
    monitor.bytes(1234);
    monitor.frameOk("M1");
    const h = monitor.snapshot({
      instance: "main",
      source: "tcp://127.0.0.1:1",
      startedAt: clock.now(),
      reconnects: 2,
      queueLength: 5,
      dropped: 1,
    });
    expect(ingestHealthSchema.parse(h)).toEqual(h);
    expect(h).toMatchObject({ frames_ok: 1, bytes: 1234, reconnects: 2, queue_length: 5, meters: ["M1"] });
  });
});
