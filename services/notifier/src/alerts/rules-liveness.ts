/**
 * Liveness rules: the meter is silent (no reading for `after`, 60 s by default), and the ingest reports
 * authentication failures (wrong or changed P1 key: ingest state `wrong_key`), each with its "back to normal".
 */
import type { IngestHealth } from "@smarty/contracts";
import { formatDuration } from "@smarty/service-kit";
import type { RulesConfig } from "../config-file.js";
import { level, type Signal } from "./signals.js";

export function silenceSignal(rules: RulesConfig, silentForMs: number): Signal | undefined {
  const r = rules.meter_silent;
  if (!r.enabled) return undefined;
  return level(
    "meter_silent",
    "meter_silent",
    silentForMs >= r.after,
    `No reading from the meter for ${formatDuration(silentForMs)}`,
    Math.round(silentForMs / 1000),
    "Readings arrive again",
  );
}

/** The meter an ingest instance reports on (its alerts are filed under it), or the instance name. */
export function ingestMeter(health: IngestHealth): string {
  return health.meters[0] ?? health.instance;
}

export function ingestSignal(rules: RulesConfig, health: IngestHealth): Signal | undefined {
  if (!rules.ingest_auth.enabled) return undefined;
  return level(
    "ingest_auth",
    `ingest_auth_${health.instance}`,
    health.state === "wrong_key",
    `Telegrams fail authentication (${health.authentication_failures} so far): is the P1 key (SMARTY_KEY) right?`,
    health.authentication_failures,
    "Telegrams decrypt again",
  );
}
