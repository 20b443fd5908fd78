/**
 * zod schemas of every MQTT payload. Subscribers validate at the edge with `decodePayload`; a bad message is
 * counted and logged by the caller and never reaches the handler. JSON keys are snake_case.
 */
import { type NamedValues, OBIS_REGISTRY, type ObisDefinition, type ObisKey, type Reading } from "@smarty/p1";
import { z } from "zod";

/** Largest payload any subscriber accepts; larger messages are rejected before JSON parsing. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO 8601 time");

const obisPart = z.object({ value: z.union([z.number(), z.string()]), unit: z.string().optional() });
const obisValue = obisPart.extend({ time: isoTime.optional(), values: z.array(obisPart).optional() });

export const mbusReadingSchema = z.object({
  channel: z.number().int().min(1).max(4),
  device_type: z.number().int(),
  medium: z.enum(["gas", "water", "heat", "warm_water", "cooling", "electricity", "other"]),
  equipment_id: z.string().optional(),
  value: z.number().optional(),
  unit: z.string().optional(),
  time: isoTime.optional(),
  valve_state: z.number().optional(),
  breaker_state: z.number().optional(),
});

const powerFailureEvent = z.object({ time: isoTime, duration_s: z.number() });
const peakDemand = z.object({ month: isoTime, time: isoTime.nullable(), kw: z.number() });

/** The schema of a registry row's named value, as the parser of packages/p1 sets it (`NamedValue` there). */
function namedValueSchema(def: ObisDefinition): z.ZodType {
  // A multi-value line (`1-1:31.4.0(040*A)(-040*A)`) is its values when the telegram sends more than one.
  if (def.values !== undefined && def.values > 1) return z.union([z.number(), z.array(z.number().nullish())]);
  if (def.kind === "text" || def.kind === "version" || def.kind === "time") return z.string();
  if (def.kind === "log") return z.array(powerFailureEvent);
  if (def.kind === "peak_log") return z.array(peakDemand);
  return z.number();
}

/** One optional schema per registry key; the type says what each decodes to, the registry says how. */
const namedValues = Object.fromEntries(
  OBIS_REGISTRY.map((def) => [def.key, namedValueSchema(def).optional()]),
) as unknown as { [K in ObisKey]-?: z.ZodOptional<z.ZodType<NonNullable<NamedValues[K]>>> };

/**
 * `<base>/<meter_id>/reading`: the reading of packages/p1 (docs/reading.md). Named values are checked against their
 * registry row; keys this registry does not know (a newer publisher's) pass through untouched.
 */
export const readingSchema = z
  .object({
    meter_id: z.string().min(1).max(128),
    time: isoTime.nullable(),
    version: z.string().nullable(),
    header: z.string(),
    crc: z.string().nullable(),
    obis: z.record(z.string(), obisValue),
    mbus: z.array(mbusReadingSchema),
    unparsed: z.array(z.string()),
    unknown_codes: z.array(z.string()),
    frame: z.object({ system_title: z.string(), frame_counter: z.number().int().nonnegative() }).optional(),
    ...namedValues,
  })
  .catchall(z.unknown());

/** `<base>/<service>/<instance>/status`: plain text, the Last Will. */
export const statusSchema = z.enum(["online", "offline"]);
export type ServiceStatus = z.infer<typeof statusSchema>;

/** What the ingest currently believes about its input; drives the display's and notifier's hints. */
export const ingestStateSchema = z.enum([
  "starting",
  "ok",
  "no_data", // nothing received at all
  "no_frames", // bytes arrive but no frame start: inverted signal or wrong baud rate
  "wrong_key", // a run of authentication failures
  "errors", // frames arrive but fail CRC / format
  "disconnected", // the source is closed and being reopened
]);
export type IngestState = z.infer<typeof ingestStateSchema>;

/** `<base>/ingest/<instance>/health`: counters since start, retained. */
export const ingestHealthSchema = z.object({
  instance: z.string(),
  state: ingestStateSchema,
  hint: z.string().optional(),
  source: z.string(),
  started_at: isoTime,
  updated_at: isoTime,
  last_frame_at: isoTime.nullable(),
  frames_ok: z.number().int().nonnegative(),
  authentication_failures: z.number().int().nonnegative(),
  crc_failures: z.number().int().nonnegative(),
  format_errors: z.number().int().nonnegative(),
  replays: z.number().int().nonnegative(),
  missed_frames: z.number().int().nonnegative(),
  meter_changes: z.number().int().nonnegative(),
  stale_readings: z.number().int().nonnegative(),
  /** Plaintext frames rejected while a P1 key is configured (possible injection); absent from older ingests. */
  plaintext_rejected: z.number().int().nonnegative().optional(),
  /** Readings not published: meter time too far from the host's clocks (INGEST_CLOCK_TOLERANCE); absent before. */
  clock_suspect_readings: z.number().int().nonnegative().optional(),
  bytes: z.number().int().nonnegative(),
  skipped_bytes: z.number().int().nonnegative(),
  reconnects: z.number().int().nonnegative(),
  queue_length: z.number().int().nonnegative(),
  dropped_readings: z.number().int().nonnegative(),
  meters: z.array(z.string()),
});
export type IngestHealth = z.infer<typeof ingestHealthSchema>;

const perPhase = z.object({ l1: z.number().nullable(), l2: z.number().nullable(), l3: z.number().nullable() });

export const costSchema = z.object({
  currency: z.string(),
  energy: z.number(),
  export_credit: z.number(),
  fixed: z.number(),
  power_class: z.number(),
  total: z.number(),
});

export const periodKindSchema = z.enum(["day", "week", "month"]);
export type PeriodKind = z.infer<typeof periodKindSchema>;

export const periodStatisticsSchema = z.object({
  period: periodKindSchema,
  start: isoTime,
  end: isoTime,
  complete: z.boolean(),
  energy_import_kwh: z.number().nullable(),
  energy_export_kwh: z.number().nullable(),
  peak_15min_import_kw: z.number().nullable(),
  peak_15min_at: isoTime.nullable(),
  voltage_min_v: perPhase,
  voltage_max_v: perPhase,
  voltage_sags: z.number().int().nullable(),
  voltage_swells: z.number().int().nullable(),
  power_failures: z.number().int().nullable(),
  power_class_excess_kwh: z.number().nullable(),
  /**
   * Always-on power in W: a day's 10th percentile of its quarter-hour import power (quarters without export), a
   * week's or month's median of its days; null with too little data (docs/notifier.md, "Baseload"). Absent in
   * statistics from before it existed.
   */
  baseload_w: z.number().nullable().optional(),
  mbus: z.array(z.object({ channel: z.number().int(), medium: z.string(), consumption: z.number(), unit: z.string() })),
  cost: costSchema.nullable(),
  readings: z.number().int().nonnegative(),
  /** Meter times of the first and last reading seen in the period (coverage; added by the notifier). */
  first_reading_at: isoTime.nullable().optional(),
  last_reading_at: isoTime.nullable().optional(),
});
export type PeriodStatistics = z.infer<typeof periodStatisticsSchema>;

/** `<base>/<meter_id>/statistics`: current and previous day, week and month. */
export const statisticsSchema = z.object({
  meter_id: z.string(),
  updated_at: isoTime,
  current: z.object({ day: periodStatisticsSchema, week: periodStatisticsSchema, month: periodStatisticsSchema }),
  previous: z.object({
    day: periodStatisticsSchema.nullable(),
    week: periodStatisticsSchema.nullable(),
    month: periodStatisticsSchema.nullable(),
  }),
});
export type Statistics = z.infer<typeof statisticsSchema>;

export const severitySchema = z.enum(["info", "warning", "critical"]);
export type Severity = z.infer<typeof severitySchema>;

/** `<base>/alerts/<meter_id>/<alert_id>`: the last state of one alert, retained. */
export const alertSchema = z.object({
  id: z.string(),
  rule: z.string(),
  meter_id: z.string(),
  severity: severitySchema,
  state: z.enum(["active", "cleared"]),
  message: z.string(),
  since: isoTime,
  updated_at: isoTime,
  value: z.number().nullable().optional(),
  muted_until: isoTime.nullable().optional(),
});
export type Alert = z.infer<typeof alertSchema>;

/** `<base>/notifier/cmd`. */
export const notifierCommandSchema = z.discriminatedUnion("command", [
  z.object({
    command: z.literal("report"),
    period: periodKindSchema,
    /** A time inside the period to report (default now): the report of an earlier, closed period. */
    at: isoTime.optional(),
    transaction: z.string().optional(),
  }),
  z.object({ command: z.literal("mute"), duration_s: z.number().positive(), transaction: z.string().optional() }),
  z.object({ command: z.literal("unmute"), transaction: z.string().optional() }),
]);
export type NotifierCommand = z.infer<typeof notifierCommandSchema>;

/** Reply envelope for commands: `{status, data, error?, transaction?}`. */
export const commandResponseSchema = z.object({
  status: z.enum(["ok", "error"]),
  data: z.unknown().optional(),
  error: z.string().optional(),
  transaction: z.string().optional(),
});
export type CommandResponse = z.infer<typeof commandResponseSchema>;

export type ReadingPayload = Reading;
