/**
 * Environment of the ingest service (documented in docs/configuration.md, section "ingest"). Secrets (`SMARTY_KEY`,
 * `SMARTY_KEYS`, `MQTT_PASSWORD`) may come from `<NAME>_FILE`; their values never appear in an error or a log line.
 */

import { KeyError, parseKeyList, parseP1Key, parseSourceUrl, SourceUrlError } from "@smarty/ingest-core";
import { commonEnv, envBool, envDuration, envInt, envPort, loadConfig } from "@smarty/service-kit";
import { z } from "zod";

/** Default `/healthz` port of the ingest service. */
export const DEFAULT_INGEST_HTTP_PORT = 8091;

const source = z
  .string()
  .default("serial:///dev/ttyUSB0")
  .transform((s, ctx) => {
    try {
      return parseSourceUrl(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof SourceUrlError ? err.message : "invalid source" });
      return z.NEVER;
    }
  });

const key = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    try {
      return parseP1Key(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof KeyError ? err.message : "invalid key" });
      return z.NEVER;
    }
  });

const keyList = z
  .string()
  .default("")
  .transform((s, ctx) => {
    try {
      return parseKeyList(s);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: err instanceof KeyError ? err.message : "invalid key list" });
      return z.NEVER;
    }
  });

export const ingestEnv = z.object({
  ...commonEnv,
  SMARTY_SOURCE: source,
  SMARTY_KEY: key,
  SMARTY_KEYS: keyList,
  /** Verify the GCM tag; `false` is an explicit, logged opt-out for meters reported to fail it. */
  SMARTY_VERIFY_TAG: envBool(true),
  /** Accept plaintext telegrams although a key is set (meters outside Luxembourg); off: only GCM frames count. */
  SMARTY_ALLOW_PLAINTEXT: envBool(false),
  SMARTY_STATE_REFRESH: envDuration("5m"),
  SMARTY_HA_DISCOVERY: envBool(false),
  SMARTY_HA_DISCOVERY_PREFIX: z
    .string()
    .default("homeassistant")
    .refine((s) => /^[^#+\s]+$/.test(s) && !s.endsWith("/"), "must be a topic prefix without wildcards"),
  /** Authentication key of the AAD; the same for every Smarty meter, so only for other operators. */
  INGEST_AUTHENTICATION_KEY: key,
  INGEST_HTTP_PORT: envPort(DEFAULT_INGEST_HTTP_PORT),
  INGEST_QUEUE_LIMIT: envInt(8640, 1, 1_000_000),
  /** Bytes of queued reading JSON; sized for the 96 MB container with a 48 MB old space (docker-compose.yml). */
  INGEST_QUEUE_BYTES: envBytes("8M"),
  INGEST_IDLE_TIMEOUT: envDuration("60s"),
  INGEST_NO_FRAMES_TIMEOUT: envDuration("30s"),
  INGEST_RECONNECT_MIN: envDuration("1s"),
  INGEST_RECONNECT_MAX: envDuration("60s"),
  INGEST_WRONG_KEY_AFTER: envInt(3, 1, 1000),
  INGEST_HEALTH_INTERVAL: envDuration("30s"),
  /** Largest distance of meter time from the host's clocks before a reading is suspect; 0 turns the check off. */
  INGEST_CLOCK_TOLERANCE: envDuration("15m"),
  /** Queue flush on SIGTERM; with the 3 s broker goodbye it must end before compose's 30 s stop_grace_period. */
  INGEST_SHUTDOWN_TIMEOUT: envDuration("5s").refine((ms) => ms <= 25_000, {
    message: "must be at most 25s (the stop must end within compose's 30 s stop_grace_period)",
  }),
});

/** A byte size: a whole number with an optional binary suffix, `k` (KiB), `M` (MiB) or `G` (GiB). */
function envBytes(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const m = /^\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*$/.exec(s);
      const n = m ? Number(m[1]) * 1024 ** " kmg".indexOf((m[2] || " ").toLowerCase()) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 1024) {
        ctx.addIssue({ code: "custom", message: `'${s}' is not a size of at least 1k (use e.g. 16M, 512k)` });
        return z.NEVER;
      }
      return n;
    });
}

export type IngestConfig = z.infer<typeof ingestEnv>;

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadIngestConfig(env: Readonly<Record<string, string | undefined>> = process.env): IngestConfig {
  return loadConfig(ingestEnv, env);
}
