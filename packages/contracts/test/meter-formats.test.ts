/**
 * Values of Belgian e-MUCS telegrams pass the reading schema (the ingest publishes them) and get Home Assistant
 * sensors from their registry rows. The reading is the one packages/p1 gives for ndokter/dsmr_parser's
 * TELEGRAM_FLUVIUS_V171; the values are quoted from its lines.
 */
import { describe, expect, it } from "vitest";
import { homeAssistantDiscovery } from "../src/home-assistant.js";
import { readingSchema } from "../src/payloads.js";

describe("e-MUCS values", () => {
  it("the reading schema accepts the peak demand history and the new named values", () => {
    const reading = {
      meter_id: "1SAG3101021605",
      time: "2020-05-12T13:54:09+02:00",
      version: "50217",
      header: "FLU5\\253769484_A",
      crc: "3AD7",
      obis: { "1-0:1.6.0": { value: 2.589, unit: "kW", time: "2020-05-09T13:45:58+02:00" } },
      mbus: [],
      unparsed: [],
      unknown_codes: [],
      emucs_version: "50217", // 0-0:96.1.4(50217)
      average_demand_kw: 2.351, // 1-0:1.4.0(02.351*kW)
      peak_demand_month_kw: 2.589, // 1-0:1.6.0(200509134558S)(02.589*kW)
      fuse_threshold_a: 999, // 1-0:31.4.0(999*A)
      peak_demand_history: [
        { month: "2020-05-01T00:00:00+02:00", time: "2020-04-23T19:25:38+02:00", kw: 3.695 },
        { month: "2023-08-01T00:00:00+02:00", time: null, kw: 0 }, // (632525252525W)(00.000*kW)
      ],
    };
    expect(readingSchema.safeParse(reading).success).toBe(true);
    expect(readingSchema.safeParse({ ...reading, peak_demand_history: [{ month: "x", kw: 1 }] }).success).toBe(false);
  });

  it("Home Assistant discovery announces demand in kW and the fuse threshold in A", () => {
    const all = homeAssistantDiscovery(
      { meter_id: "M1", header: "FLU5\\253769484_A", version: "50217", mbus: [] },
      { baseTopic: "smarty", instance: "main" },
    );
    const byId = new Map(all.map((m) => [m.payload.unique_id, m.payload]));
    expect(byId.get("smarty_M1_average_demand_kw")).toMatchObject({ unit_of_measurement: "kW", device_class: "power" });
    expect(byId.get("smarty_M1_peak_demand_month_kw")).toMatchObject({ unit_of_measurement: "kW" });
    expect(byId.get("smarty_M1_fuse_threshold_a")).toMatchObject({ unit_of_measurement: "A", device_class: "current" });
  });
});
