/**
 * Every metric family the exporter writes. Electricity and M-Bus names, types, HELP, scale and constant labels come
 * from the OBIS registry of packages/p1 (`OBIS_REGISTRY`, `metricsOf`, `MBUS_METRICS`); this file only groups the
 * registry rows that share a name (per-phase and per-tariff rows) and adds the `meter` label. The few families that
 * describe the pipeline rather than a telegram value are written here once; docs/metrics.md is generated from this.
 */
import { MBUS_METRICS, type MetricSpec, metricsOf, OBIS_REGISTRY, type ObisDefinition } from "@smarty/p1";

export type MetricType = "counter" | "gauge";

export interface FamilySpec {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  /** Where the value comes from, for docs/metrics.md: OBIS codes or an MQTT topic. */
  readonly source: string;
}

/** One registry row feeding a family: the row and the metric spec (a row may feed two families, 1-1:31.4.0). */
export interface RegistryRow {
  readonly def: ObisDefinition;
  readonly spec: MetricSpec;
}

export interface RegistryFamily extends FamilySpec {
  readonly rows: readonly RegistryRow[];
}

export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogueError";
  }
}

/** Groups the registry's metric specs by name; rows sharing a name must agree on type, HELP and label names. */
export function registryFamilies(registry: readonly ObisDefinition[] = OBIS_REGISTRY): RegistryFamily[] {
  const byName = new Map<string, { first: MetricSpec; rows: RegistryRow[] }>();
  for (const def of registry) {
    for (const spec of metricsOf(def)) {
      const entry = byName.get(spec.name);
      if (!entry) {
        byName.set(spec.name, { first: spec, rows: [{ def, spec }] });
        continue;
      }
      const a = entry.first;
      const sameLabels = labelKeys(a).join() === labelKeys(spec).join();
      if (a.type !== spec.type || a.help !== spec.help || !sameLabels) {
        throw new CatalogueError(`registry rows for ${spec.name} disagree on type, help or labels (${def.code})`);
      }
      entry.rows.push({ def, spec });
    }
  }
  return [...byName.values()].map(({ first, rows }) => ({
    name: first.name,
    type: first.type,
    help: first.help,
    labels: ["meter", ...labelKeys(first)],
    source: rows.map((r) => r.def.code).join(", "),
    rows,
  }));
}

function labelKeys(spec: MetricSpec): string[] {
  return Object.keys(spec.labels ?? {});
}

const MBUS_LABELS = ["meter", "channel", "medium"] as const;

/** M-Bus families: the registry's specs with the channel labels. */
export const MBUS_FAMILIES = {
  volume: { ...MBUS_METRICS.volume, labels: MBUS_LABELS, source: "0-n:24.2.1" },
  energy: { ...MBUS_METRICS.energy, labels: MBUS_LABELS, source: "0-n:24.2.1" },
  captureTime: { ...MBUS_METRICS.captureTime, labels: MBUS_LABELS, source: "0-n:24.2.1" },
  valve: { ...MBUS_METRICS.valve, labels: MBUS_LABELS, source: "0-n:24.4.0" },
  breaker: { ...MBUS_METRICS.breaker, labels: MBUS_LABELS, source: "0-n:96.3.10" },
} as const satisfies Record<string, FamilySpec>;

/** Families about the reading as a whole (header, time, messages). */
export const READING_FAMILIES = {
  meterInfo: {
    name: "smarty_meter_info",
    type: "gauge",
    help: "Meter identity, always 1: P1 version (OBIS 1-3:0.2.8) and GCM system title of encrypted frames.",
    labels: ["meter", "version", "system_title"],
    source: "0-0:42.0.0 / 0-0:96.1.1, 1-3:0.2.8, frame header",
  },
  timestamp: {
    name: "smarty_reading_timestamp_seconds",
    type: "gauge",
    help: "Time of the telegram as sent by the meter, Unix seconds (OBIS 0-0:1.0.0).",
    labels: ["meter"],
    source: "0-0:1.0.0",
  },
  longMessage: {
    name: "smarty_long_message_info",
    type: "gauge",
    help: "Text message shown by the meter, 1 while present; slot is the last OBIS group (OBIS 0-0:96.13.n).",
    labels: ["meter", "slot", "message"],
    source: "0-0:96.13.0 … 0-0:96.13.5",
  },
  powerClass: {
    name: "smarty_power_class_watts",
    type: "gauge",
    help: "Subscribed power class (reference power) of the grid connection, from EXPORTER_POWER_CLASS.",
    labels: ["meter"],
    source: "EXPORTER_POWER_CLASS",
  },
} as const satisfies Record<string, FamilySpec>;

const INGEST = "ingest health topic";
const ingestCounter = (name: string, help: string): FamilySpec => ({
  name,
  type: "counter",
  help,
  labels: ["ingest_instance"],
  source: INGEST,
});

/**
 * Pipeline counters published by the ingest service on `<base>/ingest/<instance>/health`. The label is
 * `ingest_instance`, not `instance`: Prometheus attaches its own `instance` target label to every series and would
 * rename ours to `exported_instance` (writing_exporters.md "Labels").
 */
export const INGEST_FAMILIES = {
  frames: {
    ...ingestCounter("smarty_ingest_frames_total", "Frames read by the ingest service, by result."),
    labels: ["ingest_instance", "result"],
  },
  replays: ingestCounter(
    "smarty_ingest_replayed_frames_total",
    "Frames dropped as replays (frame counter not increasing).",
  ),
  missed: ingestCounter("smarty_ingest_missed_frames_total", "Frames missing according to gaps in the frame counter."),
  reconnects: ingestCounter("smarty_ingest_reconnects_total", "Times the ingest service reopened its P1 source."),
  bytes: ingestCounter("smarty_ingest_received_bytes_total", "Bytes read from the P1 source."),
  skippedBytes: ingestCounter("smarty_ingest_skipped_bytes_total", "Bytes skipped while searching for a frame start."),
  droppedReadings: ingestCounter(
    "smarty_ingest_dropped_readings_total",
    "Readings dropped because the queue was full.",
  ),
  staleReadings: ingestCounter(
    "smarty_ingest_stale_readings_total",
    "Readings dropped because their time was too old.",
  ),
  clockSuspectReadings: ingestCounter(
    "smarty_ingest_clock_suspect_readings_total",
    "Readings dropped because their meter time was too far from the ingest host's clocks.",
  ),
  meterChanges: ingestCounter("smarty_ingest_meter_changes_total", "Times a different meter appeared on the source."),
  queue: {
    name: "smarty_ingest_queued_readings",
    type: "gauge",
    help: "Readings waiting to be published by the ingest service.",
    labels: ["ingest_instance"],
    source: INGEST,
  },
  state: {
    name: "smarty_ingest_state",
    type: "gauge",
    help: "State of the ingest service, 1 for the current state and 0 for the others.",
    labels: ["ingest_instance", "state"],
    source: INGEST,
  },
  startTime: {
    name: "smarty_ingest_start_time_seconds",
    type: "gauge",
    help: "Start time of the ingest service, Unix seconds.",
    labels: ["ingest_instance"],
    source: INGEST,
  },
  lastFrame: {
    name: "smarty_ingest_last_frame_timestamp_seconds",
    type: "gauge",
    help: "Time the ingest service last read a valid frame, Unix seconds.",
    labels: ["ingest_instance"],
    source: INGEST,
  },
  up: {
    name: "smarty_ingest_up",
    type: "gauge",
    help: "1 when the ingest service reports online on its status topic, 0 when offline.",
    labels: ["ingest_instance"],
    source: "ingest status topic (Last Will)",
  },
} as const satisfies Record<string, FamilySpec>;

/** The exporter's own instrumentation. */
export const EXPORTER_FAMILIES = {
  rejected: {
    name: "smarty_exporter_messages_rejected_total",
    type: "counter",
    help: "MQTT messages the exporter rejected, by reason (too_large, json, schema, topic).",
    labels: ["reason"],
    source: "exporter",
  },
  meters: {
    name: "smarty_exporter_meters",
    type: "gauge",
    help: "Meters with a reading fresh enough to be exported.",
    labels: [],
    source: "exporter",
  },
} as const satisfies Record<string, FamilySpec>;

/** Every family, in the order of /metrics and docs/metrics.md. */
export function allFamilies(): FamilySpec[] {
  return [
    ...registryFamilies(),
    ...Object.values(MBUS_FAMILIES),
    ...Object.values(READING_FAMILIES),
    ...Object.values(INGEST_FAMILIES),
    ...Object.values(EXPORTER_FAMILIES),
  ];
}
