import { describe, expect, it } from "vitest";
import { decodePayload, decodeText } from "../src/codec.js";
import { alertSchema, readingSchema, statusSchema } from "../src/payloads.js";

const reading = {
  meter_id: "SAG1030700012701",
  time: "2026-04-03T17:54:31+02:00",
  version: "42",
  header: "Lux5\\253663629_D",
  crc: "80F6",
  obis: { "1-0:1.8.0": { value: 273.764, unit: "kWh" } },
  mbus: [],
  unparsed: [],
  unknown_codes: [],
  energy_import_kwh: 273.764,
};

describe("decodePayload", () => {
  it("accepts a valid reading and keeps the named values", () => {
    const r = decodePayload(readingSchema, JSON.stringify(reading));
    expect(r.ok && r.value.energy_import_kwh).toBe(273.764);
  });

  it("rejects oversize payloads before parsing them", () => {
    const r = decodePayload(readingSchema, "x".repeat(100), 50);
    expect(r).toMatchObject({ ok: false, reason: "too_large" });
  });

  it("rejects malformed JSON and wrong shapes with a reason, never throwing", () => {
    expect(decodePayload(readingSchema, "{")).toMatchObject({ ok: false, reason: "json" });
    expect(decodePayload(readingSchema, JSON.stringify({ ...reading, time: "yesterday" }))).toMatchObject({
      ok: false,
      reason: "schema",
    });
    expect(decodePayload(alertSchema, Buffer.from("[]"))).toMatchObject({ ok: false, reason: "schema" });
  });

  it("reads plain-text status payloads", () => {
    expect(decodeText(statusSchema, Buffer.from("online"))).toEqual({ ok: true, value: "online" });
    expect(decodeText(statusSchema, "maybe").ok).toBe(false);
  });
});
