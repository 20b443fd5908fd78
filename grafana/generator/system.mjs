/** System dashboard (pipeline health) and the kiosk In Home Display view for a wall tablet. */
import { STATS } from "./calendar.mjs";
import { EXPORTED, IMPORTED, KWH, running, runningCost, today, VOLTAGE_THRESHOLDS } from "./dashboards.mjs";
import { bargauge, dashboard, gauge, m, meterVariable, q, stat, stateMappings, timeseries } from "./panels.mjs";

const UP = stateMappings({ 0: ["down", "red"], 1: ["up", "green"] });

export const system = dashboard({
  uid: "smarty-system",
  title: "Smarty — System",
  description: "Is data flowing: ingest health, frame errors, replays, exporter and Prometheus storage.",
  variables: [meterVariable()],
  panels: [
    stat("Exporter", [q(`up{job="exporter"}`)], { mappings: UP, w: 4, h: 5 }),
    stat("Ingest", [q("smarty_ingest_up", "{{ingest_instance}}")], { mappings: UP, w: 4, h: 5 }),
    stat("Ingest state", [q("smarty_ingest_state == 1", "{{state}}")], { textMode: "name", w: 4, h: 5 }),
    stat("Last valid frame", [q("time() - max(smarty_ingest_last_frame_timestamp_seconds)")], {
      unit: "s",
      decimals: 0,
      thresholds: [
        [null, "green"],
        [30, "orange"],
        [60, "red"],
      ],
      w: 4,
      h: 5,
    }),
    stat("Meter clock behind", [q(`time() - smarty_reading_timestamp_seconds${m()}`)], {
      unit: "s",
      decimals: 0,
      w: 4,
      h: 5,
      description: "Now minus the telegram time: transport delay plus the meter clock's drift.",
    }),
    stat("Meters exported", [q("smarty_exporter_meters")], { w: 4, h: 5 }),
    timeseries(
      "Frames per minute by result",
      [q("sum by (result) (rate(smarty_ingest_frames_total[$__rate_interval])) * 60", "{{result}}")],
      { unit: "short", w: 12, h: 8 },
    ),
    stat(
      "Problems in range",
      [
        q('sum(increase(smarty_ingest_frames_total{result!="ok"}[$__range]))', "frame errors"),
        q("sum(increase(smarty_ingest_replayed_frames_total[$__range]))", "replays"),
        q("sum(increase(smarty_ingest_missed_frames_total[$__range]))", "missed frames"),
        q("sum(increase(smarty_ingest_reconnects_total[$__range]))", "reconnects"),
        q("sum(increase(smarty_exporter_messages_rejected_total[$__range]))", "rejected messages"),
      ],
      { decimals: 0, w: 12, h: 8 },
    ),
    stat(
      "Prometheus storage",
      [
        q("sum(prometheus_tsdb_storage_blocks_bytes)", "used by blocks"),
        q("max(prometheus_tsdb_retention_limit_bytes)", "size limit"),
      ],
      { unit: "bytes", w: 6, h: 5, description: "The last ~2 hours live in memory and the WAL, not in blocks yet." },
    ),
    stat("History kept", [q("time() - min(prometheus_tsdb_lowest_timestamp_seconds)")], {
      unit: "dtdurations",
      w: 6,
      h: 5,
    }),
    stat("Series in memory", [q("sum(prometheus_tsdb_head_series)")], { w: 6, h: 5 }),
    stat("Exporter memory", [q(`process_resident_memory_bytes{job="exporter"}`)], { unit: "bytes", w: 6, h: 5 }),
  ],
});

/** Full-screen view for a wall tablet: open /d/smarty-kiosk?kiosk. Variables are hidden; the first meter shows. */
export const kiosk = dashboard({
  uid: "smarty-kiosk",
  title: "Smarty — In Home Display",
  description: "Kiosk view: /d/smarty-kiosk?kiosk",
  time: "now-3h",
  refresh: "10s",
  kiosk: true,
  variables: [meterVariable(2)],
  panels: [
    stat("Using now", [q(`smarty_power_imported_watts${m()}`)], {
      unit: "watt",
      thresholds: [
        [null, "green"],
        [3000, "orange"],
        [7000, "red"],
      ],
      w: 8,
      h: 7,
    }),
    stat("Giving back now", [q(`smarty_power_exported_watts${m()}`)], { unit: "watt", w: 8, h: 7 }),
    gauge(
      "15 minutes against the power class",
      [q(`100 * meter:smarty_energy_imported_joules:rate15m${m()} / on (meter) smarty_power_class_watts${m()}`)],
      {
        unit: "percent",
        min: 0,
        max: 150,
        thresholds: [
          [null, "green"],
          [80, "orange"],
          [100, "red"],
        ],
        w: 8,
        h: 7,
      },
    ),
    stat("Used today", [running(STATS.imported, IMPORTED, "day")], {
      unit: "kwatth",
      decimals: 1,
      ...today,
      w: 6,
      h: 6,
    }),
    stat("Given back today", [running(STATS.exported, EXPORTED, "day")], {
      unit: "kwatth",
      decimals: 1,
      ...today,
      w: 6,
      h: 6,
    }),
    stat("Cost today", [runningCost("day")], { unit: "currencyEUR", decimals: 2, ...today, w: 6, h: 6 }),
    bargauge("Voltage", [q(`smarty_voltage_volts${m()}`, "{{phase}}")], {
      unit: "volt",
      min: 200,
      max: 260,
      thresholds: VOLTAGE_THRESHOLDS,
      w: 6,
      h: 6,
    }),
    timeseries(
      "Last 3 hours",
      [
        q(`smarty_power_imported_watts${m()}`, "using"),
        q(`-smarty_power_exported_watts${m()}`, "giving back"),
        q(`smarty_power_class_watts${m()}`, "power class"),
      ],
      { unit: "watt", w: 24, h: 9 },
    ),
    stat("Gas today", [q(`increase(smarty_mbus_volume_cubic_meters_total${m('medium="gas"')}[$__range])`)], {
      unit: "m3",
      decimals: 2,
      ...today,
      w: 12,
      h: 5,
    }),
    stat("Energy this hour", [q(`meter:smarty_energy_imported_joules:increase1h${m()} ${KWH}`)], {
      unit: "kwatth",
      decimals: 2,
      w: 12,
      h: 5,
    }),
  ],
});
