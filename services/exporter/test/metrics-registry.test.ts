import { ingestHealthSchema } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { ManualClock } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { IngestStatus } from "../src/ingest-status.js";
import { createMetrics } from "../src/metrics-registry.js";
import { ReadingCache } from "../src/reading-cache.js";
import { parseExposition, seriesOf } from "./exposition.js";
import { goldenHealth } from "./golden-inputs.js";
import { simulatedReading } from "./simulated-reading.js";

const T0 = Date.UTC(2026, 0, 1, 12);

function setup() {
  const clock = new ManualClock(T0);
  const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
  const ingest = new IngestStatus();
  const metrics = createMetrics({ cache, ingest, powerClassWatts: 7000, defaultMetrics: false });
  const scrape = async () => parseExposition(await metrics.registry.metrics());
  const put = (meterId: string, extra: Partial<Reading> = {}, longMessage?: string) => {
    const r = { ...simulatedReading({ meterId, timeMs: clock.now(), elapsedS: 0, longMessage }), ...extra } as Reading;
    cache.put(r, false, meterId);
  };
  return { clock, cache, ingest, metrics, scrape, put };
}

describe("metrics registry", () => {
  it("exports one series per meter and registry row, in base units", async () => {
    const { put, scrape } = setup();
    put("M1");
    put("M2");
    const s = await scrape();
    // 1000.000 kWh × 3.6e6 J/kWh
    expect(s.get('smarty_energy_imported_joules_total{meter="M1"}')).toBe(3_600_000_000);
    expect(s.get('smarty_energy_imported_joules_total{meter="M2"}')).toBe(3_600_000_000);
    expect(s.get('smarty_voltage_volts{meter="M1",phase="l3"}')).toBe(232.1);
    expect(s.get('smarty_power_limit_volt_amperes{meter="M1"}')).toBe(27_600);
    // The meter writes the export current limit negative (-040*A); the metric is the limit, 40 A.
    expect(s.get('smarty_current_limit_exported_amperes{meter="M1"}')).toBe(40);
    expect(s.get('smarty_power_class_watts{meter="M2"}')).toBe(7000);
    expect(s.get("smarty_exporter_meters")).toBe(2);
  });

  it("exports M-Bus indexes by unit: m3 as volume, GJ as joules", async () => {
    const { put, scrape } = setup();
    put("M1");
    const s = await scrape();
    expect(s.get('smarty_mbus_volume_cubic_meters_total{meter="M1",channel="1",medium="gas"}')).toBe(1234.567);
    expect(s.get('smarty_mbus_volume_cubic_meters_total{meter="M1",channel="2",medium="water"}')).toBe(88.1);
    expect(s.get('smarty_mbus_energy_joules_total{meter="M1",channel="3",medium="heat"}')).toBe(12_345_000_000);
    expect(s.get('smarty_mbus_breaker_state{meter="M1",channel="1",medium="gas"}')).toBe(0);
    expect(s.get('smarty_mbus_capture_timestamp_seconds{meter="M1",channel="1",medium="gas"}')).toBe(T0 / 1000 - 60);
  });

  it("leaves out an M-Bus index in a unit without a base unit", async () => {
    const { put, scrape } = setup();
    const r = simulatedReading({ meterId: "M1", timeMs: T0, elapsedS: 0 });
    put("M1", { mbus: r.mbus.map((m) => (m.channel === 2 ? { ...m, unit: "l" } : m)) });
    const s = await scrape();
    expect(seriesOf(s, "smarty_mbus_volume_cubic_meters_total")).toHaveLength(1);
  });

  it("shows a long message only while the meter sends one", async () => {
    const { put, scrape } = setup();
    put("M1", {}, 'Tarif "nuit" from 1 May');
    put("M2");
    const s = await scrape();
    expect(seriesOf(s, "smarty_long_message_info")).toEqual([
      'smarty_long_message_info{meter="M1",slot="0",message="Tarif \\"nuit\\" from 1 May"}',
    ]);
  });

  it("describes the meter in smarty_meter_info and gives the telegram's own time", async () => {
    const { put, scrape } = setup();
    put("M1", { frame: { system_title: "4c475a0000000001", frame_counter: 7 } });
    const s = await scrape();
    expect(s.get('smarty_meter_info{meter="M1",version="42",system_title="4c475a0000000001"}')).toBe(1);
    expect(s.get('smarty_reading_timestamp_seconds{meter="M1"}')).toBe(T0 / 1000);
  });

  it("removes every series of a meter whose reading went stale", async () => {
    const { put, scrape, clock } = setup();
    put("OLD");
    clock.advance(45_000);
    put("NEW");
    clock.advance(15_001);
    const s = await scrape();
    expect([...s.keys()].filter((k) => k.includes('"OLD"'))).toEqual([]);
    expect(s.get('smarty_energy_imported_joules_total{meter="NEW"}')).toBeGreaterThan(0);
    expect(s.get("smarty_exporter_meters")).toBe(1);
  });

  it("exports ingest health counters and the online status", async () => {
    const { ingest, scrape } = setup();
    ingest.setHealth("main", ingestHealthSchema.parse(JSON.parse(goldenHealth())));
    ingest.setStatus("main", "offline");
    ingest.setStatus("spare", "online");
    const s = await scrape();
    expect(s.get('smarty_ingest_frames_total{ingest_instance="main",result="crc_failure"}')).toBe(1);
    expect(s.get('smarty_ingest_replayed_frames_total{ingest_instance="main"}')).toBe(4);
    expect(s.get('smarty_ingest_state{ingest_instance="main",state="ok"}')).toBe(1);
    expect(s.get('smarty_ingest_state{ingest_instance="main",state="wrong_key"}')).toBe(0);
    expect(s.get('smarty_ingest_up{ingest_instance="main"}')).toBe(0);
    expect(s.get('smarty_ingest_up{ingest_instance="spare"}')).toBe(1);
    expect(seriesOf(s, "smarty_ingest_frames_total").some((k) => k.includes("spare"))).toBe(false);
  });

  it("exports plaintext frames rejected while a key is set as a frame result", async () => {
    const { ingest, scrape } = setup();
    const health = { ...JSON.parse(goldenHealth()), plaintext_rejected: 7 };
    ingest.setHealth("main", ingestHealthSchema.parse(health));
    const s = await scrape();
    expect(s.get('smarty_ingest_frames_total{ingest_instance="main",result="plaintext_rejected"}')).toBe(7);
  });

  it("exports readings held back for their meter time", async () => {
    const { ingest, scrape } = setup();
    ingest.setHealth("main", ingestHealthSchema.parse({ ...JSON.parse(goldenHealth()), clock_suspect_readings: 2 }));
    const s = await scrape();
    expect(s.get('smarty_ingest_clock_suspect_readings_total{ingest_instance="main"}')).toBe(2);
  });

  it("starts every rejection reason at zero", async () => {
    const { scrape } = setup();
    const s = await scrape();
    expect(seriesOf(s, "smarty_exporter_messages_rejected_total")).toHaveLength(4);
  });
});
