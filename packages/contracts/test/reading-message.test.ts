import { describe, expect, it } from "vitest";
import { decodeReadingMessage } from "../src/reading-message.js";

const reading = {
  meter_id: "SAG1030700012701",
  time: "2026-04-03T17:54:31+02:00",
  version: "42",
  header: "Lux5\\253663629_D",
  crc: "80F6",
  obis: {},
  mbus: [],
  unparsed: [],
  unknown_codes: [],
};
const body = (r: object) => Buffer.from(JSON.stringify(r));

describe("decodeReadingMessage", () => {
  it("accepts a valid reading on its own meter's topic", () => {
    const m = decodeReadingMessage("smarty", "smarty/SAG1030700012701/reading", body(reading));
    expect(m).toMatchObject({ kind: "reading", meterId: "SAG1030700012701" });
  });

  it("treats an empty retained message as the meter being removed", () => {
    expect(decodeReadingMessage("smarty", "smarty/M1/reading", Buffer.alloc(0))).toEqual({
      kind: "removed",
      meterId: "M1",
    });
  });

  it("rejects a reading under another meter's topic, a foreign topic and a bad payload", () => {
    expect(decodeReadingMessage("smarty", "smarty/OTHER/reading", body(reading))).toMatchObject({
      kind: "rejected",
      reason: "topic",
    });
    expect(decodeReadingMessage("smarty", "smarty/M1/statistics", body(reading))).toMatchObject({
      kind: "rejected",
      reason: "topic",
    });
    expect(decodeReadingMessage("smarty", "smarty/M1/reading", Buffer.from("{"))).toMatchObject({
      kind: "rejected",
      reason: "json",
    });
  });
});
