import type { Reading } from "@smarty/p1";
import { createLogger, ManualClock, silentLogger } from "@smarty/service-kit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import { frameFixture } from "@smarty/testkit/fixtures";
import {
  encryptedFrame,
  essentials,
  expected,
  KEY,
  plainTelegram,
  SYSTEM_TITLE,
  WRONG_KEY_HEX,
} from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { IngestMonitor } from "../../src/pipeline/ingest-monitor.js";
import { Pipeline } from "../../src/pipeline/pipeline.js";

function setup(decoder: ConstructorParameters<typeof Pipeline>[0]["decoder"] = { key: KEY }, logger = silentLogger()) {
  const clock = new ManualClock();
  const monitor = new IngestMonitor({ clock, logger });
  const readings: Reading[] = [];
  const pipeline = new Pipeline({ decoder, monitor, clock, logger, onReading: (r) => readings.push(r) });
  monitor.sourceOpened();
  return { clock, monitor, readings, pipeline, c: monitor.counters };
}

describe("Pipeline", () => {
  it("decodes the Lux spec example frame (synthetic vector, key AAAA…) into the spec's values", () => {
    const frame = frameFixture("synthetic_lux_spec_v113_spec_aad");
    const { pipeline, readings, c } = setup({ key: Buffer.from("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "hex") });
    pipeline.push(frame);
    expect(c.frames_ok).toBe(1);
    const r = readings[0]!;
    // Values from the Lux spec v1.1.3 Appendix A text (packages/testkit/fixtures/vectors/lux_spec_v113_example.txt).
    expect(r.meter_id).toBe("SAG1030790002574");
    expect(r.time).toBe("2020-07-06T10:41:57+02:00");
    expect(r.energy_import_kwh).toBe(25.653);
    expect(r.reactive_energy_export_kvarh).toBe(63.781);
    expect(r.current_limit_a).toEqual([100, -63]);
    expect(r.frame).toEqual({ system_title: "53595354454d4944", frame_counter: 268435457 });
  });

  it("gives the same readings whatever the chunking of the stream", () => {
    const stream = Buffer.concat([encryptedFrame(0), Buffer.from("\r\n"), encryptedFrame(1), encryptedFrame(2)]);
    for (const size of [1, 7, 64, 1000, stream.length]) {
      const { pipeline, readings } = setup();
      for (let o = 0; o < stream.length; o += size) pipeline.push(stream.subarray(o, o + size));
      expect(readings.map(essentials)).toEqual([expected(0), expected(1), expected(2)]);
    }
  });

  it("counts a wrong key as authentication failures and publishes nothing", () => {
    const { pipeline, readings, c, monitor } = setup({ key: Buffer.from(WRONG_KEY_HEX, "hex") });
    for (let i = 0; i < 3; i++) pipeline.push(encryptedFrame(i));
    expect(readings).toEqual([]);
    expect(c.authentication_failures).toBe(3);
    expect(monitor.currentState).toBe("wrong_key");
    expect(monitor.currentHint).toMatch(/P1 key .* probably wrong/);
  });

  it("says so when encrypted frames arrive and no key is configured", () => {
    const { pipeline, c, monitor } = setup({});
    for (let i = 0; i < 3; i++) pipeline.push(encryptedFrame(i));
    expect(c.authentication_failures).toBe(3);
    expect(monitor.currentHint).toMatch(/no P1 key is configured/);
  });

  it("rejects a tampered frame (one ciphertext bit flipped) and keeps going", () => {
    const bad = Buffer.from(encryptedFrame(1));
    bad[100] = bad[100]! ^ 0x01;
    const { pipeline, readings, c } = setup();
    pipeline.push(Buffer.concat([encryptedFrame(0), bad, encryptedFrame(2)]));
    expect(c.authentication_failures).toBe(1);
    expect(readings.map((r) => r.frame?.frame_counter)).toEqual([expected(0).frame_counter, expected(2).frame_counter]);
    expect(c.missed_frames).toBe(1);
  });

  it("rejects a replayed frame and an older counter, and counts missed frames on a gap", () => {
    const { pipeline, readings, c } = setup();
    pipeline.push(encryptedFrame(0));
    pipeline.push(encryptedFrame(1));
    pipeline.push(encryptedFrame(1));
    pipeline.push(encryptedFrame(0));
    pipeline.push(encryptedFrame(5));
    expect(readings.map((r) => r.frame?.frame_counter)).toEqual([1000, 1001, 1005]);
    expect(c.replays).toBe(2);
    expect(c.missed_frames).toBe(3);
  });

  it("reports a new system title and a counter reset as meter changes", () => {
    const { pipeline, c, readings } = setup();
    pipeline.push(encryptedFrame(0, { counter: 50_000 }));
    pipeline.push(encryptedFrame(1, { counter: 5 }));
    pipeline.push(encryptedFrame(2, { counter: 1, systemTitle: Buffer.from("5341476770099999", "hex") }));
    expect(c.meter_changes).toBe(2);
    expect(readings).toHaveLength(3);
  });

  it("does not publish a reading that is not newer than the last one of the same meter", () => {
    const { pipeline, readings, c } = setup();
    pipeline.push(encryptedFrame(5, { counter: 10 }));
    pipeline.push(encryptedFrame(4, { counter: 11 }));
    pipeline.push(encryptedFrame(5, { counter: 12 }));
    pipeline.push(encryptedFrame(6, { counter: 13 }));
    expect(readings.map((r) => essentials(r).time_ms)).toEqual([expected(5).time_ms, expected(6).time_ms]);
    expect(c.stale_readings).toBe(2);
  });

  it("accepts a plaintext meter without a key, and rejects a repeated plaintext telegram as stale", () => {
    const { pipeline, readings, c } = setup({});
    pipeline.push(Buffer.from(plainTelegram(0) + plainTelegram(1) + plainTelegram(1), "latin1"));
    expect(readings.map(essentials)).toEqual([
      { ...expected(0), frame_counter: undefined },
      { ...expected(1), frame_counter: undefined },
    ]);
    expect(c.stale_readings).toBe(1);
  });

  it("counts a plaintext telegram with a bad CRC", () => {
    const t = plainTelegram(0).replace("1-0:1.8.0(001000.000", "1-0:1.8.0(001000.001");
    const { pipeline, readings, c } = setup({});
    pipeline.push(Buffer.from(t, "latin1"));
    expect(readings).toEqual([]);
    expect(c.crc_failures).toBe(1);
  });

  it("survives a garbage stream: counts skipped bytes, logs once per burst, then decodes the next frame", () => {
    const logs = captureLogs(createLogger, "ingest");
    const { pipeline, readings, c, clock } = setup({ key: KEY }, logs.logger);
    let junk = 0;
    for (let k = 0; k < 200; k++) {
      // No '/' or 0xDB: bytes that cannot start a frame, as from a non-inverted signal.
      const v = (k * 37) & 0x7f;
      const g = Buffer.alloc(512, v === 0x2f ? 0x30 : v).fill(0x55, 0, 256);
      junk += g.length;
      pipeline.push(g);
      clock.advance(100);
    }
    pipeline.push(encryptedFrame(0));
    expect(c.bytes).toBe(junk + encryptedFrame(0).length);
    expect(c.skipped_bytes).toBe(junk);
    expect(readings).toHaveLength(1);
    const skipLines = logs.messages().filter((m) => m.startsWith("bytes skipped"));
    expect(skipLines.length).toBeLessThanOrEqual(3);
  });

  it("keeps decoding after random bytes that contain frame-start bytes", () => {
    const { pipeline, readings, c } = setup();
    let seed = 42;
    const random = Buffer.alloc(20_000);
    for (let k = 0; k < random.length; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      random[k] = seed >>> 24;
    }
    random[500] = 0xdb;
    random[900] = 0x2f;
    pipeline.push(random);
    pipeline.push(encryptedFrame(0));
    pipeline.push(encryptedFrame(1));
    expect(readings.length).toBeGreaterThanOrEqual(1);
    expect(readings.at(-1)?.frame?.frame_counter).toBe(expected(1).frame_counter);
    expect(c.skipped_bytes).toBeGreaterThan(0);
  });

  it("counts a frame cut short by a source reset as skipped, not as an error", () => {
    const { pipeline, readings, c } = setup();
    const f = encryptedFrame(0);
    pipeline.push(f.subarray(0, 300));
    pipeline.reset();
    pipeline.push(encryptedFrame(1));
    expect(c.skipped_bytes).toBe(300);
    expect(c.authentication_failures + c.format_errors + c.crc_failures).toBe(0);
    expect(readings).toHaveLength(1);
  });

  it("uses the per-meter key of a system title on a shared bus", () => {
    const other = Buffer.from("5341476770088888", "hex");
    const otherKey = Buffer.from(WRONG_KEY_HEX, "hex");
    const keysBySystemTitle = new Map([
      [SYSTEM_TITLE.toString("hex"), KEY],
      [other.toString("hex"), otherKey],
    ]);
    const { pipeline, readings, c } = setup({ keysBySystemTitle });
    pipeline.push(encryptedFrame(0));
    pipeline.push(encryptedFrame(0, { key: otherKey, systemTitle: other, counter: 7 }));
    expect(c.authentication_failures).toBe(0);
    // Same telegram text (same meter id and time) from the second meter is stale for that meter id.
    expect(readings.length + c.stale_readings).toBe(2);
    expect(c.meter_changes).toBe(0);
  });
});
