import { ingestHealthSchema } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { createLogger, ManualClock } from "@smarty/service-kit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import {
  encryptedFrame,
  essentials,
  expected,
  KEY,
  plainTelegram,
  SYSTEM_TITLE_HEX,
} from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { IngestMonitor } from "../../src/pipeline/ingest-monitor.js";
import { Pipeline, type PipelineOptions } from "../../src/pipeline/pipeline.js";

function setup(extra: Partial<PipelineOptions> = {}) {
  const clock = new ManualClock();
  const logs = captureLogs(createLogger, "ingest");
  const monitor = new IngestMonitor({ clock, logger: logs.logger });
  const readings: Reading[] = [];
  const pipeline = new Pipeline({
    decoder: { key: KEY },
    monitor,
    clock,
    logger: logs.logger,
    onReading: (r) => readings.push(r),
    ...extra,
  });
  monitor.sourceOpened();
  const health = () =>
    monitor.snapshot({ instance: "main", source: "x", startedAt: 0, reconnects: 0, queueLength: 0, dropped: 0 });
  return { clock, monitor, readings, pipeline, logs, health };
}

const plain = (i: number) => Buffer.from(plainTelegram(i), "latin1");

describe("Pipeline: plaintext frames while a P1 key is configured", () => {
  it("rejects and counts a forged plaintext telegram, even one far in the future, and keeps the real meter", () => {
    const { pipeline, readings, monitor, logs, health } = setup();
    pipeline.push(encryptedFrame(0));
    // A forged telegram from a year ahead would, if accepted, make every real frame "not newer".
    pipeline.push(plain(365 * 8640));
    pipeline.push(encryptedFrame(1));
    expect(readings.map(essentials)).toEqual([expected(0), expected(1)]);
    expect(monitor.counters.plaintext_rejected).toBe(1);
    expect(monitor.counters.stale_readings).toBe(0);
    const h = health();
    expect(ingestHealthSchema.parse(h).plaintext_rejected).toBe(1);
    expect(logs.messages()).toContain("plaintext frame rejected: a P1 key is configured");
  });

  it("counts line noise with a '/…!' in it as skipped bytes, not as a plaintext telegram", () => {
    const { pipeline, readings, monitor } = setup();
    pipeline.push(encryptedFrame(0));
    // The tail of a frame left in a serial line: ciphertext bytes that happen to hold a '/' and, later, a '!'.
    const tail = Buffer.concat([
      encryptedFrame(1).subarray(-40, -30),
      Buffer.from("/\x8a\xc4zq\x01!4e1c\x9e", "latin1"),
    ]);
    pipeline.push(tail);
    pipeline.push(encryptedFrame(2));
    expect(readings.map(essentials)).toEqual([expected(0), expected(2)]);
    const c = monitor.counters;
    expect(c.plaintext_rejected).toBe(0);
    expect(c.crc_failures + c.format_errors + c.authentication_failures).toBe(0);
    expect(c.skipped_bytes).toBe(tail.length);
  });

  it("counts a plaintext telegram with a wrong CRC as a CRC failure, not as a forged telegram", () => {
    const { pipeline, readings, monitor } = setup();
    const text = plainTelegram(3);
    const bang = text.lastIndexOf("!");
    const wrongCrc = `${text.slice(0, bang + 1)}${text.slice(bang + 1, bang + 5) === "0000" ? "0001" : "0000"}\r\n`;
    pipeline.push(Buffer.from(wrongCrc, "latin1"));
    // A DSMR 5 telegram that lost its CRC digits (DSMR 5.0.2 §6.2 requires them): a format error.
    const noCrc = plainTelegram(4);
    pipeline.push(Buffer.from(`${noCrc.slice(0, noCrc.lastIndexOf("!") + 1)}\r\n`, "latin1"));
    expect(readings).toEqual([]);
    expect(monitor.counters.plaintext_rejected).toBe(0);
    expect(monitor.counters.crc_failures).toBe(1);
    expect(monitor.counters.format_errors).toBe(1);
  });

  it("applies to per-meter keys as well", () => {
    const { pipeline, readings, monitor } = setup({
      decoder: { keysBySystemTitle: new Map([[SYSTEM_TITLE_HEX, KEY]]) },
    });
    pipeline.push(plain(0));
    expect(readings).toEqual([]);
    expect(monitor.counters.plaintext_rejected).toBe(1);
  });

  it("says so in the state when only plaintext frames arrive", () => {
    const { pipeline, monitor } = setup();
    for (let i = 0; i < 3; i++) pipeline.push(plain(i));
    expect(monitor.currentState).toBe("errors");
    expect(monitor.currentHint).toMatch(/SMARTY_ALLOW_PLAINTEXT/);
  });

  it("accepts plaintext next to a key with the explicit opt-in", () => {
    const { pipeline, readings, monitor } = setup({ allowPlaintext: true });
    pipeline.push(plain(0));
    expect(readings.map(essentials)).toEqual([{ ...expected(0), frame_counter: undefined }]);
    expect(monitor.counters.plaintext_rejected).toBe(0);
  });
});
