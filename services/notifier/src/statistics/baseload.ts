/**
 * Baseload: the always-on power of a household (fridge, router, standby, heating pumps), where energy-saving advice
 * starts. Per local day it is the 10th percentile (nearest rank) of the average import power of the day's closed
 * quarter hours, in W.
 *
 * Why this definition:
 * - quarter hours are the meter's billing interval (Luxembourg grid tariff) and what the notifier already derives
 *   from the registers exactly, so no power sample noise enters;
 * - a low percentile rather than the minimum: the lowest quarters are atypical (a fridge's compressor off for a
 *   quarter, a short power cut), the 10th percentile of a day is the level the load comes back to at night;
 * - quarters with export are left out: while PV feeds in, the import register shows only what the panels did not
 *   cover, which says nothing about the household's load (it would read 0 W on every sunny day);
 * - a day with fewer than MIN_BASELOAD_QUARTERS usable quarters (8 h) has no baseload (null, never 0): it may
 *   have missed the night that the percentile is about.
 * A week's or month's baseload is the median of its closed days' baseloads (null without any).
 */

/** Least quarter hours (8 h) of a day for its baseload. */
export const MIN_BASELOAD_QUARTERS = 32;
/** The percentile. */
export const BASELOAD_PERCENTILE = 0.1;
/** Export energy below half the meter's last digit (1 Wh) is no export. */
const NO_EXPORT_KWH = 0.0005;

/** Average import power of a closed quarter hour in W (0.1 W), or undefined when it exported. */
export function quarterLoadW(importKwh: number, exportKwh: number | null): number | undefined {
  if (exportKwh !== null && exportKwh > NO_EXPORT_KWH) return undefined;
  return Math.round((importKwh / 0.25) * 10_000) / 10;
}

/** The baseload of one day from its quarter-hour powers; null with too few of them. */
export function baseloadW(quarterW: readonly number[]): number | null {
  if (quarterW.length < MIN_BASELOAD_QUARTERS) return null;
  const sorted = [...quarterW].sort((a, b) => a - b);
  const rank = Math.ceil(BASELOAD_PERCENTILE * sorted.length);
  return Math.round(sorted[rank - 1] as number);
}

/** The median, for a week's or month's baseload from its days; null for none. */
export function medianW(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return Math.round(s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2);
}
