/**
 * Readings of the telegram formats beyond Lux and DSMR 4/5 reach /metrics under the registry's names: Belgian
 * e-MUCS demand values and M-Bus indexes, DSMR 2.2 gas with its index on the next line, and B-field 1 registers.
 * Expected numbers are the telegram line's value times the unit factor (kW × 1000 = W, kWh × 3 600 000 = J).
 */
import { parseTelegram } from "@smarty/p1";
import { ManualClock } from "@smarty/service-kit";
import { fixture, type PlaintextVector } from "@smarty/testkit/fixtures";
import { describe, expect, it } from "vitest";
import { IngestStatus } from "../src/ingest-status.js";
import { createMetrics } from "../src/metrics-registry.js";
import { ReadingCache } from "../src/reading-cache.js";
import { parseExposition } from "./exposition.js";

async function scrape(vector: PlaintextVector): Promise<Map<string, number>> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
  const metrics = createMetrics({ cache, ingest: new IngestStatus(), powerClassWatts: 7000, defaultMetrics: false });
  const reading = parseTelegram(fixture(`vectors/${vector}.txt`));
  cache.put({ ...reading, meter_id: "M" }, false, "M");
  return parseExposition(await metrics.registry.metrics());
}

describe("metrics of other meters' telegrams", () => {
  it("Belgian e-MUCS: demand, fuse threshold, gas on 0-1:24.2.3 and water", async () => {
    const s = await scrape("dsmrparser_fluvius_v171");
    expect(s.get('smarty_average_demand_watts{meter="M"}')).toBe(2351); // 1-0:1.4.0(02.351*kW)
    expect(s.get('smarty_peak_demand_month_watts{meter="M"}')).toBe(2589); // 1-0:1.6.0(…)(02.589*kW)
    expect(s.get('smarty_fuse_threshold_amperes{meter="M"}')).toBe(999); // 1-0:31.4.0(999*A)
    // 0-1:24.2.3(200512134558S)(00112.384*m3), 0-2:24.2.1(200512134558S)(00872.234*m3)
    expect(s.get('smarty_mbus_volume_cubic_meters_total{meter="M",channel="1",medium="gas"}')).toBe(112.384);
    expect(s.get('smarty_mbus_volume_cubic_meters_total{meter="M",channel="2",medium="water"}')).toBe(872.234);
  });

  it("DSMR 2.2: the gas index from the line after 0-1:24.3.0", async () => {
    const s = await scrape("dsmrparser_v22_gas_next_line");
    expect(s.get('smarty_mbus_volume_cubic_meters_total{meter="M",channel="1",medium="gas"}')).toBe(1.001);
  });

  it("B-field 1: 1-1:1.8.1 is the tariff 1 import register", async () => {
    const s = await scrape("synthetic_b_field_1");
    // 1-1:1.8.1(000004.426*kWh) × 3 600 000
    expect(s.get('smarty_tariff_energy_imported_joules_total{meter="M",tariff="1"}')).toBe(15_933_600);
    expect(s.get('smarty_power_imported_watts{meter="M"}')).toBe(244); // 1-1:1.7.0(00.244*kW)
  });
});
