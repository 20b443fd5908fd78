/**
 * Liveness rules: the meter is silent (no reading for `after`, 60 s by default), and the ingest reports
 * authentication failures (wrong or changed P1 key: ingest state `wrong_key`), each with its "back to normal".
 */
import type { IngestHealth } from "@smarty/contracts";
import { formatDuration } from "@smarty/service-kit";
import type { RulesConfig } from "../config-file.js";
import { event, level, type Signal } from "./signals.js";

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

/** Frames or readings the ingest refused to trust since its start (plaintext while keyed, meter time too far off). */
export function untrustedCount(health: IngestHealth): number {
  return (health.plaintext_rejected ?? 0) + (health.clock_suspect_readings ?? 0);
}

/**
 * An event each time the ingest's count of untrusted input rises: plaintext frames while a P1 key is set (possible
 * injection on a TCP bridge) or readings held back for their meter time. `previous` is the count last seen from
 * that ingest (undefined: none yet; a lower count means the ingest restarted).
 */
export function untrustedSignal(
  rules: RulesConfig,
  health: IngestHealth,
  previous: number | undefined,
): Signal | undefined {
  const now = untrustedCount(health);
  const rose = previous === undefined || now < previous ? now > 0 : now > previous;
  if (!rules.ingest_untrusted.enabled || !rose) return undefined;
  const plaintext = health.plaintext_rejected ?? 0;
  const clock = health.clock_suspect_readings ?? 0;
  return event(
    "ingest_untrusted",
    `ingest_untrusted_${health.instance}`,
    `The ingest refused untrusted input: ${plaintext} plaintext frame(s) while a P1 key is set, ${clock} reading(s) with an impossible meter time`,
    now,
  );
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
