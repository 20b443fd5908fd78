/**
 * Queries for Luxembourg calendar periods. Prometheus has no calendar: `increase(x[1d])` at a 1-day step covers
 * 24 hours ending wherever the step falls and extrapolates at the edges. The notifier already closes every local
 * day, week and month (Europe/Luxembourg, 23- and 25-hour days on the DST changes) with register differences at
 * the boundaries; the exporter exports those as `smarty_statistics_*{period, window}` (docs/metrics.md), and the
 * panels here only read them, so Grafana shows exactly the reports' numbers.
 *
 * Placing one bar per closed period: the `window="previous"` series holds the last closed period and changes once,
 * when the notifier closes the next one (just after local midnight). Grafana aligns a range query's steps to its
 * step size shifted by the dashboard's UTC offset (Grafana `AlignTimeRange`), so with a 1-day step each step T
 * lies within an hour or two of the local midnight that starts a day D. At T the bar reads the series over
 * [T, T + 36h] (`offset -36h`): its last value there is D's, because D closes 23–25 h after its start and D + 1
 * only 46 h or more after it. The period's own start timestamp then keeps the bar only when D starts within 3 h of
 * T, which drops the running day (its "previous" is still yesterday) and any misplaced value. Weeks do the same
 * with a 7-day step, which Grafana aligns to Thursdays: the bar of a Monday-to-Sunday week sits on its Thursday.
 *
 * Cardinality: 6 series per meter and family (3 periods × 2 windows) forever; a past day's value lives in the
 * history of its `previous` series, not in a label per day.
 */
import { m } from "./panels.mjs";

export const STATS = {
  imported: "smarty_statistics_energy_imported_joules",
  exported: "smarty_statistics_energy_exported_joules",
  cost: "smarty_statistics_cost_euros",
  exportCredit: "smarty_statistics_export_credit_euros",
  excess: "smarty_statistics_power_class_excess_joules",
  peak: "smarty_statistics_peak_import_watts",
  start: "smarty_statistics_start_timestamp_seconds",
};
/** The one price (SMARTY_PRICE_PER_KWH), exported per joule, so `increase(joules) * price` is money. */
export const PRICE = {
  imported: "smarty_price_imported_euros_per_joule",
  exported: "smarty_price_exported_euros_per_joule",
};

const sel = (metric, period, window) => `${metric}${m(`period="${period}", window="${window}"`)}`;

/** Bar geometry per period: the Grafana step, how far ahead to look, where the period starts relative to a step. */
export const BARS = {
  day: { interval: "1d", ahead: "36h", startFromStep: 0, toleranceS: 3 * 3600 },
  week: { interval: "7d", ahead: "7d", startFromStep: -3 * 86400, toleranceS: 86400 },
};

/** One bar per closed local period of `period` ("day" or "week"); `scale` e.g. " / 3.6e6". */
export function closedBars(metric, period, scale = "") {
  const b = BARS[period];
  const ahead = (x) => `last_over_time(${sel(x, period, "previous")}[${b.ahead}] offset -${b.ahead})`;
  const shift = b.startFromStep === 0 ? "" : ` + ${-b.startFromStep}`;
  return `${ahead(metric)}${scale} and on (meter) abs(${ahead(STATS.start)} - time()${shift}) < ${b.toleranceS}`;
}

/** The running (current) or the last closed (previous) period's value, for a stat panel. */
export const periodValue = (metric, period, window, scale = "") => `${sel(metric, period, window)}${scale}`;

/**
 * The running period, or without the notifier (no statistics series for the meter) Prometheus' own estimate over
 * the panel's range (`now/d`, `now/M` in the dashboard's time zone).
 */
export const runningOr = (metric, period, fallback, scale = "") =>
  `${periodValue(metric, period, "current", scale)} or on (meter) ${fallback}`;

/** Money from the one price: `increase()` of a joules counter times the exported price per joule. */
export const priced = (counter, price) => `increase(${counter}${m()}[$__range]) * on (meter) ${price}${m()}`;
