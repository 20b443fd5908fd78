import { ingestHealthSchema, statisticsSchema } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { ManualClock } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { IngestStatus } from "../src/ingest-status.js";
import { createMetrics } from "../src/metrics-registry.js";
import { ReadingCache } from "../src/reading-cache.js";
import { StatisticsCache } from "../src/statistics-cache.js";
import { parseExposition, seriesOf } from "./exposition.js";
import { goldenHealth } from "./golden-inputs.js";
import { simulatedReading } from "./simulated-reading.js";

const T0 = Date.UTC(2026, 0, 1, 12);

function setup() {
  const clock = new ManualClock(T0);
  const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
  const ingest = new IngestStatus();
  const statistics = new StatisticsCache();
  const metrics = createMetrics({ cache, ingest, statistics, powerClassWatts: 7000, defaultMetrics: false });
  const scrape = async () => parseExposition(await metrics.registry.metrics());
  const put = (meterId: string, extra: Partial<Reading> = {}, longMessage?: string) => {
    const r = { ...simulatedReading({ meterId, timeMs: clock.now(), elapsedS: 0, longMessage }), ...extra } as Reading;
    cache.put(r, false, meterId);
  };
  return { clock, cache, ingest, statistics, metrics, scrape, put };
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

  it("exports the energy prices per joule for every fresh meter, and nothing when they are unset", async () => {
    const clock = new ManualClock(T0);
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
    const ingest = new IngestStatus();
    const priced = createMetrics({
      cache,
      ingest,
      powerClassWatts: 3000,
      importPricePerKwh: 0.2921,
      exportPricePerKwh: 0.1,
      defaultMetrics: false,
    });
    cache.put(simulatedReading({ meterId: "M1", timeMs: T0, elapsedS: 0 }), false, "M1");
    const s = parseExposition(await priced.registry.metrics());
    const perJoule = s.get('smarty_price_imported_euros_per_joule{meter="M1"}') ?? 0;
    // 1 kWh (3.6e6 J) at the configured price is the price per kWh.
    expect(perJoule * 3.6e6).toBeCloseTo(0.2921, 12);
    expect((s.get('smarty_price_exported_euros_per_joule{meter="M1"}') ?? 0) * 3.6e6).toBeCloseTo(0.1, 12);
    const unpriced = createMetrics({ cache, ingest, powerClassWatts: 3000, defaultMetrics: false });
    const u = parseExposition(await unpriced.registry.metrics());
    expect([...u.keys()].some((k) => k.startsWith("smarty_price_"))).toBe(false);
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

  it("exports the baseload of each meter's last closed day from the notifier's statistics", async () => {
    const { statistics, scrape } = setup();
    const day = (baseload: number | null | undefined) => ({
      period: "day",
      start: "2026-01-01T00:00:00+01:00",
      end: "2026-01-02T00:00:00+01:00",
      complete: true,
      energy_import_kwh: 8,
      energy_export_kwh: 0,
      peak_15min_import_kw: null,
      peak_15min_at: null,
      voltage_min_v: { l1: null, l2: null, l3: null },
      voltage_max_v: { l1: null, l2: null, l3: null },
      voltage_sags: null,
      voltage_swells: null,
      power_failures: null,
      power_class_excess_kwh: null,
      ...(baseload === undefined ? {} : { baseload_w: baseload }),
      mbus: [],
      cost: null,
      readings: 8640,
    });
    const stats = (meter: string, previous: ReturnType<typeof day> | null) =>
      statisticsSchema.parse({
        meter_id: meter,
        updated_at: "2026-01-02T10:00:00+01:00",
        current: { day: { ...day(999), complete: false }, week: day(null), month: day(null) },
        previous: { day: previous, week: null, month: null },
      });
    const put = (meter: string, previous: ReturnType<typeof day> | null) =>
      statistics.put(meter, stats(meter, previous));
    put("M1", day(230));
    put("M2", null); // no closed day yet
    put("M3", day(undefined)); // a notifier from before the baseload
    put("M4", day(null)); // too little data that day
    const closed = (x: Map<string, number>) =>
      seriesOf(x, "smarty_statistics_baseload_watts").filter((k) => k.includes('window="previous"'));
    const s = await scrape();
    const m1 = 'smarty_statistics_baseload_watts{meter="M1",period="day",window="previous"}';
    expect(closed(s)).toEqual([m1]);
    expect(s.get(m1)).toBe(230);
    statistics.remove("M1");
    expect(closed(await scrape())).toEqual([]);
  });
});
