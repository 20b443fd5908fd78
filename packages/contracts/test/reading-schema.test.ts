/** The reading schema is typed from the OBIS registry: each named value is checked against its row's kind. */
import type { Reading } from "@smarty/p1";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { decodePayload } from "../src/codec.js";
import { readingSchema } from "../src/payloads.js";

const reading = {
  meter_id: "SAG1030700012701",
  time: "2026-04-03T17:54:31+02:00",
  version: "42",
  header: "Lux5\\253663629_D",
  crc: "80F6",
  obis: { "1-0:1.7.0": { value: 1.193, unit: "kW" } },
  mbus: [],
  unparsed: [],
  unknown_codes: [],
  power_import_kw: 1.193,
  long_message: "",
  current_limit_a: [100, -63],
  power_failure_log: [{ time: "2026-04-01T10:00:00+02:00", duration_s: 240 }],
};

describe("reading schema", () => {
  it("decodes to the Reading type of packages/p1", () => {
    expectTypeOf<z.output<typeof readingSchema>>().toExtend<Reading>();
    const r = decodePayload(readingSchema, JSON.stringify(reading));
    expect(r.ok && r.value.power_import_kw).toBe(1.193);
  });

  it("rejects a named value whose type is not its registry row's", () => {
    for (const bad of [{ power_import_kw: "1.193" }, { long_message: 7 }, { current_limit_a: "100" }]) {
      expect(decodePayload(readingSchema, JSON.stringify({ ...reading, ...bad })), JSON.stringify(bad)).toMatchObject({
        ok: false,
        reason: "schema",
      });
    }
  });

  it("keeps values of keys this registry does not know, from a newer publisher", () => {
    const r = decodePayload(readingSchema, JSON.stringify({ ...reading, reactive_energy_l1_kvarh: 1 }));
    expect(r.ok && (r.value as Record<string, unknown>).reactive_energy_l1_kvarh).toBe(1);
  });
});
