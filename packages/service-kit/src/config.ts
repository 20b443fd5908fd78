/**
 * Configuration from environment variables, validated once at start by a zod schema whose keys are the variable
 * names. Every problem is reported at once, naming the variable; secrets may come from `<NAME>_FILE` (Docker
 * secrets). A bad configuration makes the service exit 78 (EX_CONFIG, sysexits.h).
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { z } from "zod";
import { parseDuration } from "./duration.js";

export const EX_CONFIG = 78;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Resolves `<NAME>_FILE` for every schema key, then parses; throws ConfigError listing every bad variable. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const problems: string[] = [];
  const input: Record<string, string | undefined> = {};
  for (const name of Object.keys(schema.shape)) {
    const direct = emptyToUndefined(env[name]);
    const file = emptyToUndefined(env[`${name}_FILE`]);
    if (direct !== undefined && file !== undefined) {
      problems.push(`${name}: set either ${name} or ${name}_FILE, not both`);
      continue;
    }
    if (file !== undefined) {
      try {
        input[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
      } catch (err) {
        problems.push(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
      }
      continue;
    }
    input[name] = direct;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "(config)");
      problems.push(`${name}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  return parsed.data;
}

function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

/** A duration such as `60s` or `5m`, in milliseconds. */
export const envDuration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const ms = parseDuration(s);
      if (ms === undefined) {
        ctx.addIssue({ code: "custom", message: `'${s}' is not a duration (use e.g. 500ms, 10s, 5m, 1h)` });
        return z.NEVER;
      }
      return ms;
    });

export const envPort = (fallback: number) =>
  z.coerce
    .number({ message: "must be a port number" })
    .int("must be a whole number")
    .min(0, "must be 0-65535")
    .max(65535, "must be 0-65535")
    .default(fallback);

export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(min).max(max).default(fallback);

export const envBool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off"], { message: "must be true or false" })
    .default(fallback ? "true" : "false")
    .transform((s) => ["true", "1", "yes", "on"].includes(s));

/** Comma-separated list; empty entries dropped. */
export const envList = () =>
  z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    );

/**
 * An optional path to a file the service reads later (a CA certificate): checked readable at start, so a typo
 * stops the service with exit 78 naming the variable instead of failing once it connects.
 */
export const envReadableFile = () =>
  z
    .string()
    .optional()
    .superRefine((path, ctx) => {
      if (path === undefined) return;
      try {
        accessSync(path, constants.R_OK);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: `cannot read ${path} (${(err as NodeJS.ErrnoException).code})` });
      }
    });

/** A price per kWh such as `0.2921` (a decimal comma works too), 0–100; unset or empty: undefined. */
export const envPrice = () =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const m = /^\s*(\d+(?:[.,]\d+)?)\s*$/.exec(s);
      const n = m?.[1] ? Number(m[1].replace(",", ".")) : Number.NaN;
      if (!(n >= 0 && n <= 100)) {
        ctx.addIssue({ code: "custom", message: `'${s}' is not a price per kWh (e.g. 0.2921)` });
        return z.NEVER;
      }
      return n;
    });

/**
 * The one energy price of the stack, per kWh in EUR, all-in: the display, the exporter (for Grafana) and the
 * notifier (statistics and reports) all read these two variables (docs/configuration.md "Prices").
 */
export const priceEnv = {
  SMARTY_PRICE_PER_KWH: envPrice(),
  SMARTY_EXPORT_PRICE_PER_KWH: envPrice(),
} as const;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Variables every service reads: the broker and logging. */
export const commonEnv = {
  MQTT_URL: z
    .string()
    .default("mqtt://127.0.0.1:1883")
    .refine((s) => /^(mqtts?|wss?|tcp|ssl):\/\/[^/\s]+/.test(s), "must be a URL like mqtt://host:1883"),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_PROTOCOL_VERSION: z.enum(["4", "5"], { message: "must be 4 (MQTT 3.1.1) or 5" }).default("4").transform(Number),
  MQTT_BASE_TOPIC: z
    .string()
    .default("smarty")
    .refine((s) => /^[^#+\s]+$/.test(s) && !s.endsWith("/"), "must be a topic prefix without wildcards or trailing /"),
  MQTT_CA_FILE: envReadableFile(),
  SMARTY_INSTANCE: z
    .string()
    .default("main")
    .refine((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s), "must be 1-64 letters, digits, _ or -"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
} as const;

export interface MqttSettings {
  readonly url: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly protocolVersion: number;
  readonly baseTopic: string;
  readonly caFile?: string | undefined;
}

/** The MQTT part of a parsed config that used `commonEnv`. */
export function mqttSettings(c: {
  MQTT_URL: string;
  MQTT_USERNAME?: string | undefined;
  MQTT_PASSWORD?: string | undefined;
  MQTT_PROTOCOL_VERSION: number;
  MQTT_BASE_TOPIC: string;
  MQTT_CA_FILE?: string | undefined;
}): MqttSettings {
  return {
    url: c.MQTT_URL,
    username: c.MQTT_USERNAME,
    password: c.MQTT_PASSWORD,
    protocolVersion: c.MQTT_PROTOCOL_VERSION,
    baseTopic: c.MQTT_BASE_TOPIC,
    caFile: c.MQTT_CA_FILE,
  };
}
