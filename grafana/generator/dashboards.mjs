/**
 * The smarty dashboards. Metric names are the exporter's (docs/metrics.md) and the recording rules'
 * (prometheus/rules/smarty.yml); a test runs every query below against a real Prometheus.
 * Energy is stored in joules; `/ 3.6e6` shows kWh.
 */
import { bargauge, dashboard, m, meterVariable, q, stat, textVariable, timeseries } from "./panels.mjs";

export const KWH = "/ 3.6e6";
export const IMPORTED = "smarty_energy_imported_joules_total";
export const EXPORTED = "smarty_energy_exported_joules_total";
export const today = { timeFrom: "now/d" };
const thisMonth = { timeFrom: "now/M" };
const lastMonth = { timeShift: "1M/M" };
export const energyIn = (metric) => `increase(${metric}${m()}[$__range]) ${KWH}`;
export const costOf = (metric, tariff) => `increase(${metric}${m()}[$__range]) ${KWH} * $${tariff}`;
export const tariffs = (hide = 0) => [
  textVariable("tariff", "Import tariff (€/kWh, all-in)", "0.28", hide),
  textVariable("export_tariff", "Export tariff (€/kWh)", "0.10", hide),
];
// EN 50160: 230 V ± 10 %.
export const VOLTAGE_THRESHOLDS = [
  [null, "red"],
  [207, "green"],
  [253, "red"],
];

export const overview = dashboard({
  uid: "smarty-overview",
  title: "Smarty — Overview",
  description: "Power now, today's and this month's energy, phases and voltage.",
  variables: [meterVariable()],
  panels: [
    stat("Import now", [q(`smarty_power_imported_watts${m()}`)], { unit: "watt", w: 4, h: 5 }),
    stat("Export now", [q(`smarty_power_exported_watts${m()}`)], { unit: "watt", w: 4, h: 5 }),
    stat("Imported today", [q(energyIn(IMPORTED))], { unit: "kwatth", decimals: 2, ...today, w: 4, h: 5 }),
    stat("Exported today", [q(energyIn(EXPORTED))], { unit: "kwatth", decimals: 2, ...today, w: 4, h: 5 }),
    stat("Imported this month", [q(energyIn(IMPORTED))], { unit: "kwatth", decimals: 1, ...thisMonth, w: 4, h: 5 }),
    stat("Exported this month", [q(energyIn(EXPORTED))], { unit: "kwatth", decimals: 1, ...thisMonth, w: 4, h: 5 }),
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
  description: "Hourly, daily and monthly import and export from the meter registers, with cost at your tariff.",
  time: "now-7d",
  refresh: "1m",
  variables: [meterVariable(), ...tariffs()],
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
        q(`meter:smarty_energy_imported_joules:increase1d${m()} ${KWH}`, "import"),
        q(`meter:smarty_energy_exported_joules:increase1d${m()} ${KWH}`, "export"),
      ],
      { unit: "kwatth", bars: true, interval: "1d", timeFrom: "31d", w: 16, h: 8, description: "Days in UTC." },
    ),
    timeseries(
      "Cost per day",
      [q(`meter:smarty_energy_imported_joules:increase1d${m()} ${KWH} * $tariff`, "import cost")],
      { unit: "currencyEUR", bars: true, interval: "1d", timeFrom: "31d", w: 8, h: 8 },
    ),
    stat("Imported this month", [q(energyIn(IMPORTED))], { unit: "kwatth", decimals: 1, ...thisMonth, w: 4, h: 5 }),
    stat("Exported this month", [q(energyIn(EXPORTED))], { unit: "kwatth", decimals: 1, ...thisMonth, w: 4, h: 5 }),
    stat("Cost this month", [q(costOf(IMPORTED, "tariff"))], {
      unit: "currencyEUR",
      decimals: 2,
      ...thisMonth,
      w: 4,
      h: 5,
    }),
    stat("Export credit this month", [q(costOf(EXPORTED, "export_tariff"))], {
      unit: "currencyEUR",
      decimals: 2,
      ...thisMonth,
      w: 4,
      h: 5,
    }),
    stat("Cost today", [q(costOf(IMPORTED, "tariff"))], { unit: "currencyEUR", decimals: 2, ...today, w: 4, h: 5 }),
    stat("Export credit today", [q(costOf(EXPORTED, "export_tariff"))], {
      unit: "currencyEUR",
      decimals: 2,
      ...today,
      w: 4,
      h: 5,
    }),
    stat("Imported last month", [q(energyIn(IMPORTED))], { unit: "kwatth", decimals: 1, ...lastMonth, w: 4, h: 5 }),
    stat("Exported last month", [q(energyIn(EXPORTED))], { unit: "kwatth", decimals: 1, ...lastMonth, w: 4, h: 5 }),
    stat("Cost last month", [q(costOf(IMPORTED, "tariff"))], {
      unit: "currencyEUR",
      decimals: 2,
      ...lastMonth,
      w: 4,
      h: 5,
    }),
    stat("Export credit last month", [q(costOf(EXPORTED, "export_tariff"))], {
      unit: "currencyEUR",
      decimals: 2,
      ...lastMonth,
      w: 4,
      h: 5,
    }),
    timeseries(
      "15-minute average above the power class",
      [q(`meter:smarty_power_class_excess_watts:avg15m${m()}`, "above class")],
      { unit: "watt", w: 12, h: 8, description: "0 while the 15-minute average stays within the power class." },
    ),
    timeseries(
      "Energy above the power class per day",
      [q(`meter:smarty_power_class_excess_joules:sum1d${m()} ${KWH}`, "overrun")],
      { unit: "kwatth", bars: true, interval: "1d", timeFrom: "31d", w: 12, h: 8 },
    ),
  ],
});
