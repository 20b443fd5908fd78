import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BurstLogger } from "../src/burst-log.js";
import { ManualClock } from "../src/clock.js";
import { createLogger } from "../src/logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger({ service: "test", destination }) };
}

describe("BurstLogger", () => {
  it("logs the first event, counts repeats, and writes one summary when the window closes", () => {
    const { lines, logger } = capture();
    const clock = new ManualClock(0);
    const burst = new BurstLogger(logger, clock, 60_000);
    for (let i = 0; i < 10; i++) burst.warn("crc", { frame: i }, "frame rejected");
    expect(lines).toHaveLength(1);
    clock.advance(60_000);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ kind: "crc", repeated: 9, msg: "frame rejected (repeated)" });
    burst.warn("crc", {}, "frame rejected");
    expect(lines).toHaveLength(3);
  });
});

describe("createLogger", () => {
  it("redacts secrets by field name at any of three levels", () => {
    const { lines, logger } = capture();
    logger.info({ key: "AAAA", config: { MQTT_PASSWORD: "pw", nested: { password: "x" } } }, "config");
    const text = JSON.stringify(lines);
    expect(text).not.toContain("AAAA");
    expect(text).not.toContain('"pw"');
    expect(text).not.toContain('"x"');
  });
});
