/**
 * The smarty dashboards. Metric names are the exporter's (docs/metrics.md) and the recording rules'
 * (prometheus/rules/smarty.yml); a test runs every query below against a real Prometheus.
 * Energy is stored in joules; `/ 3.6e6` shows kWh. Days, weeks and months are Luxembourg calendar periods from the
 * notifier's statistics (calendar.mjs); money comes from the one price setting, never from a dashboard box.
 */
import { closedBars, PRICE, periodValue, priced, runningOr, STATS } from "./calendar.mjs";
import { bargauge, dashboard, m, meterVariable, q, stat, timeseries } from "./panels.mjs";

export const KWH = "/ 3.6e6";
export const IMPORTED = "smarty_energy_imported_joules_total";
export const EXPORTED = "smarty_energy_exported_joules_total";
export const today = { timeFrom: "now/d" };
const thisMonth = { timeFrom: "now/M" };
const energyIn = (metric) => `increase(${metric}${m()}[$__range]) ${KWH}`;
/** Today's or this month's energy: the notifier's running period, else Prometheus' increase over the range. */
export const running = (stats, counter, period) => q(runningOr(stats, period, energyIn(counter), ` ${KWH}`));
/** Today's or this month's cost at the one price (the notifier's total when it runs, with its fees). */
export const runningCost = (period) => q(runningOr(STATS.cost, period, priced(IMPORTED, PRICE.imported)));
const runningCredit = (period) => q(runningOr(STATS.exportCredit, period, priced(EXPORTED, PRICE.exported)));
const lastMonth = (metric, scale = "") => q(periodValue(metric, "month", "previous", scale));
const dailyBars = { bars: true, interval: "1d", timeFrom: "31d", maxDataPoints: 100 };
// EN 50160: 230 V ± 10 %.
export const VOLTAGE_THRESHOLDS = [
  [null, "red"],
  [207, "green"],
  [253, "red"],
];

/** This month's imported and exported energy from the notifier's running month (overview and energy dashboards). */
function monthEnergyStats() {
  return [IMPORTED, EXPORTED].map((metric) =>
    stat(
      `${metric === IMPORTED ? "Imported" : "Exported"} this month`,
      [running(metric === IMPORTED ? STATS.imported : STATS.exported, metric, "month")],
      { unit: "kwatth", decimals: 1, ...thisMonth, w: 4, h: 5 },
    ),
  );
}

export const overview = dashboard({
  uid: "smarty-overview",
  title: "Smarty — Overview",
  description: "Power now, today's and this month's energy, phases and voltage.",
  variables: [meterVariable()],
  panels: [
    stat("Import now", [q(`smarty_power_imported_watts${m()}`)], { unit: "watt", w: 4, h: 5 }),
    stat("Export now", [q(`smarty_power_exported_watts${m()}`)], { unit: "watt", w: 4, h: 5 }),
    stat("Imported today", [running(STATS.imported, IMPORTED, "day")], {
      unit: "kwatth",
      decimals: 2,
      ...today,
      w: 4,
      h: 5,
    }),
    stat("Exported today", [running(STATS.exported, EXPORTED, "day")], {
      unit: "kwatth",
      decimals: 2,
      ...today,
      w: 4,
      h: 5,
    }),
    ...monthEnergyStats(),
    timeseries(
      "Power",
      [q(`smarty_power_imported_watts${m()}`, "import"), q(`smarty_power_exported_watts${m()}`, "export")],
      { unit: "watt", w: 16, h: 8 },
    ),
    bargauge(
      "Power per phase",
      [
        q(`smarty_phase_power_imported_watts${m()}`, "{{phase}} import"),
        q(`smarty_phase_power_exported_watts${m()}`, "{{phase}} export"),
      ],
      { unit: "watt", min: 0, w: 8, h: 8 },
    ),
    timeseries("Voltage per phase", [q(`smarty_voltage_volts${m()}`, "{{phase}}")], {
      unit: "volt",
      thresholds: VOLTAGE_THRESHOLDS,
      w: 12,
      h: 8,
    }),
    timeseries(
      "15-minute average import and power class",
      [
        q(`meter:smarty_energy_imported_joules:rate15m${m()}`, "15-minute average"),
        q(`smarty_power_class_watts${m()}`, "power class"),
      ],
      {
        unit: "watt",
        w: 12,
        h: 8,
        description: "The network tariff bills energy above the power class per quarter hour.",
      },
    ),
  ],
});

export const energy = dashboard({
  uid: "smarty-energy",
  title: "Smarty — Energy",
  description:
    "Hourly import and export from the meter registers; days, weeks and months as Luxembourg calendar periods from " +
    "the notifier's statistics; cost at SMARTY_PRICE_PER_KWH.",
  time: "now-7d",
  refresh: "1m",
  variables: [meterVariable()],
  panels: [
    timeseries(
      "Energy per hour",
      [
        q(`meter:smarty_energy_imported_joules:increase1h${m()} ${KWH}`, "import"),
        q(`meter:smarty_energy_exported_joules:increase1h${m()} ${KWH}`, "export"),
      ],
      { unit: "kwatth", bars: true, interval: "1h", timeFrom: "2d", w: 24, h: 8 },
    ),
    timeseries(
      "Energy per day",
      [
        q(closedBars(STATS.imported, "day", ` ${KWH}`), "import"),
        q(closedBars(STATS.exported, "day", ` ${KWH}`), "export"),
      ],
      {
        unit: "kwatth",
        ...dailyBars,
        w: 16,
        h: 8,
        description: "Local calendar days (Europe/Luxembourg) as closed by the notifier; today is in the stats.",
      },
    ),
    timeseries("Cost per day", [q(closedBars(STATS.cost, "day"), "cost")], {
      unit: "currencyEUR",
      ...dailyBars,
      w: 8,
      h: 8,
      description: "The notifier's total per local day at SMARTY_PRICE_PER_KWH, fees and export credit included.",
    }),
    timeseries(
      "Energy per week",
      [
        q(closedBars(STATS.imported, "week", ` ${KWH}`), "import"),
        q(closedBars(STATS.exported, "week", ` ${KWH}`), "export"),
      ],
      {
        unit: "kwatth",
        bars: true,
        interval: "7d",
        timeFrom: "26w",
        maxDataPoints: 100,
        w: 12,
        h: 8,
        description: "Monday to Sunday in Luxembourg; each bar stands on the Thursday of its week.",
      },
    ),
    timeseries("Energy above the power class per day", [q(closedBars(STATS.excess, "day", ` ${KWH}`), "overrun")], {
      unit: "kwatth",
      ...dailyBars,
      w: 12,
      h: 8,
      description: "Quarter-hour energy above the notifier's tariff power class, per local day.",
    }),
    ...monthEnergyStats(),
    stat("Cost this month", [runningCost("month")], { unit: "currencyEUR", decimals: 2, ...thisMonth, w: 4, h: 5 }),
    stat("Export credit this month", [runningCredit("month")], {
      unit: "currencyEUR",
      decimals: 2,
      ...thisMonth,
      w: 4,
      h: 5,
    }),
    stat("Cost today", [runningCost("day")], { unit: "currencyEUR", decimals: 2, ...today, w: 4, h: 5 }),
    stat("Export credit today", [runningCredit("day")], { unit: "currencyEUR", decimals: 2, ...today, w: 4, h: 5 }),
    stat("Imported last month", [lastMonth(STATS.imported, ` ${KWH}`)], { unit: "kwatth", decimals: 1, w: 4, h: 5 }),
    stat("Exported last month", [lastMonth(STATS.exported, ` ${KWH}`)], { unit: "kwatth", decimals: 1, w: 4, h: 5 }),
    stat("Cost last month", [lastMonth(STATS.cost)], { unit: "currencyEUR", decimals: 2, w: 4, h: 5 }),
    stat("Export credit last month", [lastMonth(STATS.exportCredit)], {
      unit: "currencyEUR",
      decimals: 2,
      w: 4,
      h: 5,
    }),
    stat("Peak 15 minutes last month", [lastMonth(STATS.peak)], { unit: "watt", w: 4, h: 5 }),
    timeseries(
      "15-minute average above the power class",
      [q(`meter:smarty_power_class_excess_watts:avg15m${m()}`, "above class")],
      { unit: "watt", w: 20, h: 8, description: "0 while the 15-minute average stays within the power class." },
    ),
  ],
});
