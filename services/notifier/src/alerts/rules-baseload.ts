/**
 * Baseload rule: the always-on power of a closed day (statistics/baseload.ts) well above its usual level, e.g. a
 * heater, a pump or a freezer door left open. Judged once a day, when the day closes: a day's baseload is a
 * percentile over the whole day, and the running day's would change with every quarter hour. The usual level is
 * the median of the closed days before it (robust to a holiday or an odd day), of the last `days` with a baseload.
 */
import { type Language, t } from "@smarty/i18n";
import type { RulesConfig } from "../config-file.js";
import { level, type Signal } from "./signals.js";

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * The level signal for a closed day with baseload `dayW` after the days with baseloads `pastW` (oldest first);
 * undefined when there is nothing to judge (no baseload that day, fewer than `min_days` to compare with).
 */
export function baseloadSignal(
  rule: RulesConfig["baseload_high"],
  dayW: number | null | undefined,
  pastW: readonly number[],
  lang: Language = "en",
): Signal | undefined {
  if (!rule.enabled || dayW === null || dayW === undefined) return undefined;
  const recent = pastW.slice(-rule.days);
  if (recent.length < rule.min_days) return undefined;
  const usual = Math.round(median(recent));
  const bound = Math.max(rule.ratio * usual, usual + rule.min_increase_w);
  return level(
    "baseload_high",
    "baseload_high",
    dayW > bound,
    t(lang, "alert.baseload_high", { power: dayW, usual, days: recent.length }),
    dayW,
    t(lang, "alert.baseload_high.back", { power: dayW, usual }),
  );
}
