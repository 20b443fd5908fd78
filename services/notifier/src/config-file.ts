/**
 * The optional `NOTIFIER_CONFIG` file (YAML or JSON; YAML is a superset of JSON): alert rules, delivery per
 * severity, tariff, report schedule and statistics options. Every field has a default, so an absent file means
 * "all rules on with sensible thresholds, no tariff, daily/weekly/monthly reports". Validated by zod; problems are
 * reported like env problems (ConfigError naming `NOTIFIER_CONFIG` and the field path).
 */
import { readFileSync } from "node:fs";
import { severitySchema } from "@smarty/contracts";
import { ConfigError, parseDuration } from "@smarty/service-kit";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** A duration written as `90s`, `5m`, `1h` (or a number of seconds), in milliseconds. */
const duration = (fallback: string) =>
  z
    .union([z.string(), z.number().nonnegative()])
    .default(fallback)
    .transform((v, ctx) => {
      const ms = parseDuration(String(v));
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `'${v}' is not a duration (use e.g. 30s, 5m, 1h)` });
        return z.NEVER;
      }
      return ms;
    });

const channelName = z.enum(["email", "xmpp"]);

/** Fields every rule has. `cooldown`: least time between two notifications of one alert. */
const common = (severity: z.infer<typeof severitySchema>, cooldown: string) => ({
  enabled: z.boolean().default(true),
  severity: severitySchema.default(severity),
  cooldown: duration(cooldown),
  /** Muted rules still publish their state on MQTT but notify nobody. */
  muted: z.boolean().default(false),
  /** Also notify "back to normal" when a notified alert clears. */
  notify_clear: z.boolean().default(true),
});

/** Event rules (a counter rose, a state changed): the alert clears after `clear_after` without a new event. */
const eventRule = (severity: z.infer<typeof severitySchema>, cooldown: string, clearAfter: string) =>
  z.object({ ...common(severity, cooldown), clear_after: duration(clearAfter) }).prefault({});

export const rulesSchema = z.object({
  power_import_high: z
    .object({
      ...common("warning", "30m"),
      threshold_kw: z.number().positive().default(8),
      for: duration("2m"),
      hysteresis_kw: z.number().nonnegative().default(0.5),
    })
    .prefault({}),
  quarter_hour_approaching: z
    .object({
      ...common("warning", "15m"),
      /** Limit in kW; default: the tariff's power class, else the meter's SMAX (0-0:17.0.0). */
      limit_kw: z.number().positive().optional(),
      ratio: z.number().positive().max(1).default(0.9),
      /** Projections early in a window are noisy; wait this long into it. */
      min_elapsed: duration("3m"),
      hysteresis_ratio: z.number().nonnegative().max(0.5).default(0.05),
    })
    .prefault({}),
  quarter_hour_exceeded: z
    .object({ ...common("critical", "15m"), limit_kw: z.number().positive().optional() })
    .prefault({}),
  power_failure: eventRule("critical", "10m", "15m"),
  voltage_sag: eventRule("warning", "1h", "15m"),
  voltage_swell: eventRule("warning", "1h", "15m"),
  voltage_range: z
    .object({
      ...common("warning", "1h"),
      /** EN 50160: 230 V ± 10 %. */
      nominal_v: z.number().positive().default(230),
      tolerance_pct: z.number().positive().max(50).default(10),
      for: duration("1m"),
      hysteresis_v: z.number().nonnegative().default(2),
    })
    .prefault({}),
  breaker_state: eventRule("critical", "0s", "1h"),
  valve_state: eventRule("warning", "0s", "1h"),
  operator_message: eventRule("info", "0s", "24h"),
  meter_silent: z.object({ ...common("critical", "10m"), after: duration("60s") }).prefault({}),
  ingest_auth: z.object({ ...common("critical", "1h") }).prefault({}),
  email_undeliverable: z.object({ ...common("critical", "1h") }).prefault({}),
  /** A reading's meter time is ahead of what the clocks allow (a meter clock glitch or a forged frame). */
  meter_clock: eventRule("warning", "1h", "15m"),
  ingest_untrusted: eventRule("critical", "1h", "1h"),
});
export type RulesConfig = z.infer<typeof rulesSchema>;
export type RuleName = keyof RulesConfig;

export const tariffSchema = z.object({
  currency: z.string().default("EUR"),
  import_per_kwh: z.number().nonnegative(),
  export_credit_per_kwh: z.number().nonnegative().default(0),
  /** Fixed fee per month, shared pro rata over the days of that month. */
  monthly_fee: z.number().nonnegative().default(0),
  /** Luxembourg grid tariff: energy above the chosen power class in each quarter hour costs extra. */
  power_class: z
    .object({
      kw: z.union([z.literal(3), z.literal(7), z.literal(12)]),
      excess_per_kwh: z.number().nonnegative(),
      monthly_fee: z.number().nonnegative().default(0),
    })
    .optional(),
});
export type Tariff = z.infer<typeof tariffSchema>;

const reportKind = (delay: string) =>
  z
    .object({
      enabled: z.boolean().default(true),
      /** Sent this long after the period closed … */
      delay: duration(delay),
      /** … or at this local time (HH:MM) on the first day after it closed, when set. */
      at: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM")
        .optional(),
    })
    .prefault({});

export const fileConfigSchema = z.object({
  alerts: z
    .object({
      /** Channels per severity; each channel sends to all its recipients (EMAIL_TO, the XMPP allow-list). */
      channels: z
        .object({
          info: z.array(channelName).default(["xmpp"]),
          warning: z.array(channelName).default(["email", "xmpp"]),
          critical: z.array(channelName).default(["email", "xmpp"]),
        })
        .prefault({}),
      rules: rulesSchema.prefault({}),
    })
    .prefault({}),
  tariff: tariffSchema.optional(),
  reports: z.object({ day: reportKind("5m"), week: reportKind("15m"), month: reportKind("30m") }).prefault({}),
  statistics: z
    .object({
      /** Two readings further apart than this are a gap: no quarter-hour value is derived across it. */
      max_gap: duration("2m").refine((ms) => ms > 0 && ms <= 15 * 60_000, "must be between 1s and 15m"),
      /** Least interval between two retained statistics publications per meter. */
      publish_interval: duration("10s"),
      /** A phase voltage below this is "phase not connected" (single-phase meters report 0 V). */
      min_phase_voltage_v: z.number().nonnegative().default(50),
    })
    .prefault({}),
});
export type FileConfig = z.infer<typeof fileConfigSchema>;

/** Defaults when no file is given. */
export function defaultFileConfig(): FileConfig {
  return fileConfigSchema.parse({});
}

/** Parses the text of a config file; throws ConfigError naming each bad field. */
export function parseFileConfig(text: string, source = "NOTIFIER_CONFIG"): FileConfig {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError([`${source}: not valid YAML or JSON (${(err as Error).message.split("\n")[0]})`]);
  }
  const parsed = fileConfigSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${source}: ${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  return parsed.data;
}

/** Reads and parses the file at `path`, or returns the defaults when `path` is undefined. */
export function loadFileConfig(path: string | undefined): FileConfig {
  if (!path) return defaultFileConfig();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError([`NOTIFIER_CONFIG: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`]);
  }
  return parseFileConfig(text);
}
