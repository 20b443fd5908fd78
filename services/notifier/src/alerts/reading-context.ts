/**
 * What the reading rules see: the reading, its statistics sample, the quarter hour in progress, and a snapshot of
 * the previous counters and states (persisted, so "increased" and "changed" hold across restarts).
 */
import type { Language } from "@smarty/i18n";
import { type Reading, readingNumber, readingText } from "@smarty/p1";
import type { FileConfig, RulesConfig } from "../config-file.js";
import type { QuarterProgress } from "../statistics/meter-state.js";
import type { Sample } from "../statistics/registers.js";

export interface ReadingContext {
  readonly meterId: string;
  readonly reading: Reading;
  readonly sample: Sample;
  readonly quarter: QuarterProgress | undefined;
  /** The previous snapshot of this meter; undefined for its first reading ever. */
  readonly last: Snapshot | undefined;
  readonly rules: RulesConfig;
  readonly tariff: FileConfig["tariff"];
  /** Is this alert of this meter active now (for hysteresis)? */
  isActive(id: string): boolean;
  /** Language of the messages (SMARTY_LANGUAGE); English when unset. */
  readonly language?: Language;
}

/** Long/short messages of the electricity meter and the Lux channel messages (0-0:96.13.x). */
export const MESSAGE_KEYS = [
  "long_message",
  "short_message",
  "long_message_2",
  "long_message_3",
  "long_message_4",
  "long_message_5",
] as const;

export interface Snapshot {
  readonly power_failures: number | null;
  readonly long_power_failures: number | null;
  readonly sags: readonly (number | null)[];
  readonly swells: readonly (number | null)[];
  readonly breaker: number | null;
  /** By M-Bus channel. */
  readonly mbus_valve: Readonly<Record<string, number>>;
  readonly mbus_breaker: Readonly<Record<string, number>>;
  readonly messages: Readonly<Record<string, string>>;
}

/** The snapshot after this reading; values the reading lacks are carried over from `last`. */
export function nextSnapshot(reading: Reading, sample: Sample, last: Snapshot | undefined): Snapshot {
  const keep = (now: number | null, before: number | null | undefined) => now ?? before ?? null;
  const valves: Record<string, number> = { ...last?.mbus_valve };
  const breakers: Record<string, number> = { ...last?.mbus_breaker };
  for (const m of reading.mbus) {
    if (m.valve_state !== undefined) valves[String(m.channel)] = m.valve_state;
    if (m.breaker_state !== undefined) breakers[String(m.channel)] = m.breaker_state;
  }
  const messages: Record<string, string> = { ...last?.messages };
  for (const key of MESSAGE_KEYS) {
    const text = readingText(reading, key);
    if (text !== undefined) messages[key] = text.trim();
  }
  return {
    power_failures: keep(sample.reg.power_failures, last?.power_failures),
    long_power_failures: keep(sample.reg.long_power_failures, last?.long_power_failures),
    sags: sample.reg.sags.map((v, i) => keep(v, last?.sags[i])),
    swells: sample.reg.swells.map((v, i) => keep(v, last?.swells[i])),
    breaker: keep(readingNumber(reading, "breaker_state") ?? null, last?.breaker),
    mbus_valve: valves,
    mbus_breaker: breakers,
    messages,
  };
}
