/** Phases & quality and M-Bus dashboards. */
import { VOLTAGE_THRESHOLDS } from "./dashboards.mjs";
import { dashboard, m, meterVariable, q, stat, stateMappings, table, timeseries } from "./panels.mjs";

const BREAKER = stateMappings({ 0: ["open", "red"], 1: ["closed", "green"], 2: ["ready", "orange"] });
const VALVE = stateMappings({ 0: ["closed", "red"], 1: ["open", "green"], 2: ["released", "orange"] });

export const phases = dashboard({
  uid: "smarty-phases",
  title: "Smarty — Phases & quality",
  description: "Voltages, currents and powers per phase, sags, swells, power failures, breaker and limits.",
  variables: [meterVariable()],
  panels: [
    timeseries(
      "Voltage per phase with hourly minimum and maximum",
      [
        q(`smarty_voltage_volts${m()}`, "{{phase}}"),
        q(`meter_phase:smarty_voltage_volts:min1h${m()}`, "{{phase}} min 1h"),
        q(`meter_phase:smarty_voltage_volts:max1h${m()}`, "{{phase}} max 1h"),
      ],
      { unit: "volt", thresholds: VOLTAGE_THRESHOLDS, w: 16, h: 8 },
    ),
    stat(
      "Voltage range today",
      [
        q(`min_over_time(meter_phase:smarty_voltage_volts:min1h${m()}[$__range])`, "{{phase}} min"),
        q(`max_over_time(meter_phase:smarty_voltage_volts:max1h${m()}[$__range])`, "{{phase}} max"),
      ],
      { unit: "volt", decimals: 1, thresholds: VOLTAGE_THRESHOLDS, timeFrom: "now/d", w: 8, h: 8 },
    ),
    timeseries("Current per phase", [q(`smarty_current_amperes${m()}`, "{{phase}}")], { unit: "amp", w: 12, h: 8 }),
    timeseries(
      "Active power per phase (P+ / P−)",
      [
        q(`smarty_phase_power_imported_watts${m()}`, "{{phase}} P+"),
        q(`smarty_phase_power_exported_watts${m()}`, "{{phase}} P−"),
      ],
      { unit: "watt", w: 12, h: 8 },
    ),
    timeseries(
      "Reactive power per phase (Q+ / Q−)",
      [
        q(`smarty_phase_reactive_power_imported_volt_amperes_reactive${m()}`, "{{phase}} Q+"),
        q(`smarty_phase_reactive_power_exported_volt_amperes_reactive${m()}`, "{{phase}} Q−"),
      ],
      { unit: "voltampreact", w: 12, h: 8 },
    ),
    timeseries(
      "Apparent power",
      [
        q(`smarty_apparent_power_imported_volt_amperes${m()}`, "import"),
        q(`smarty_apparent_power_exported_volt_amperes${m()}`, "export"),
      ],
      { unit: "voltamp", w: 12, h: 8 },
    ),
    stat("Voltage sags", [q(`smarty_voltage_sags_total${m()}`, "{{phase}}")], { w: 6, h: 5 }),
    stat("Voltage swells", [q(`smarty_voltage_swells_total${m()}`, "{{phase}}")], { w: 6, h: 5 }),
    stat(
      "Power failures",
      [q(`smarty_power_failures_total${m()}`, "all"), q(`smarty_long_power_failures_total${m()}`, "long")],
      { w: 6, h: 5, description: "Lux meters count all failures only (0-0:96.7.21); DSMR meters also long ones." },
    ),
    stat(
      "New sags, swells and failures in range",
      [
        q(`sum(increase(smarty_voltage_sags_total${m()}[$__range]))`, "sags"),
        q(`sum(increase(smarty_voltage_swells_total${m()}[$__range]))`, "swells"),
        q(`increase(smarty_power_failures_total${m()}[$__range])`, "failures"),
      ],
      { decimals: 0, w: 6, h: 5 },
    ),
    stat("Breaker", [q(`smarty_breaker_state${m()}`)], { mappings: BREAKER, w: 4, h: 5 }),
    stat("Power limit (SMAX)", [q(`smarty_power_limit_volt_amperes${m()}`)], { unit: "voltamp", w: 4, h: 5 }),
    stat(
      "Current limit",
      [
        q(`smarty_current_limit_imported_amperes${m()}`, "import"),
        q(`smarty_current_limit_exported_amperes${m()}`, "export"),
      ],
      { unit: "amp", w: 4, h: 5 },
    ),
    table("Meter messages", [q(`smarty_long_message_info${m()}`)], {
      w: 12,
      h: 5,
      description: "Text the grid operator sends to the meter (0-0:96.13.n); usually empty.",
    }),
  ],
});

const medium = (name) => `medium="${name}"`;

export const mbus = dashboard({
  uid: "smarty-mbus",
  title: "Smarty — M-Bus (gas, water, heat)",
  description: "Indexes and daily consumption of the meters connected to the Smarty over M-Bus.",
  time: "now-7d",
  refresh: "1m",
  variables: [meterVariable()],
  panels: [
    stat("Gas today", [q(`increase(smarty_mbus_volume_cubic_meters_total${m(medium("gas"))}[$__range])`)], {
      unit: "m3",
      decimals: 3,
      timeFrom: "now/d",
      w: 8,
      h: 5,
    }),
    stat("Water today", [q(`increase(smarty_mbus_volume_cubic_meters_total${m(medium("water"))}[$__range])`)], {
      unit: "m3",
      decimals: 3,
      timeFrom: "now/d",
      w: 8,
      h: 5,
    }),
    stat("Heat today", [q(`increase(smarty_mbus_energy_joules_total${m(medium("heat"))}[$__range]) / 3.6e6`)], {
      unit: "kwatth",
      decimals: 1,
      timeFrom: "now/d",
      w: 8,
      h: 5,
    }),
    timeseries(
      "Gas per day",
      [q(`meter_channel:smarty_mbus_volume_cubic_meters:increase1d${m(medium("gas"))}`, "channel {{channel}}")],
      { unit: "m3", bars: true, interval: "1d", timeFrom: "31d", w: 8, h: 8 },
    ),
    timeseries(
      "Water per day",
      [q(`meter_channel:smarty_mbus_volume_cubic_meters:increase1d${m(medium("water"))}`, "channel {{channel}}")],
      { unit: "m3", bars: true, interval: "1d", timeFrom: "31d", w: 8, h: 8 },
    ),
    timeseries(
      "Heat per day",
      [q(`meter_channel:smarty_mbus_energy_joules:increase1d${m(medium("heat"))} / 3.6e6`, "channel {{channel}}")],
      { unit: "kwatth", bars: true, interval: "1d", timeFrom: "31d", w: 8, h: 8 },
    ),
    timeseries(
      "Indexes",
      [
        q(`smarty_mbus_volume_cubic_meters_total${m()}`, "{{medium}} (channel {{channel}})"),
        q(`smarty_mbus_energy_joules_total${m()} / 3.6e6`, "{{medium}} kWh (channel {{channel}})"),
      ],
      { w: 12, h: 8 },
    ),
    stat(
      "Age of the last index",
      [q(`time() - smarty_mbus_capture_timestamp_seconds${m()}`, "{{medium}} (channel {{channel}})")],
      { unit: "s", decimals: 0, w: 4, h: 8, description: "Gas meters report every 5 minutes to an hour." },
    ),
    stat("Valve", [q(`smarty_mbus_valve_state${m()}`, "{{medium}} (channel {{channel}})")], {
      mappings: VALVE,
      w: 4,
      h: 8,
    }),
    stat("Channel breaker", [q(`smarty_mbus_breaker_state${m()}`, "channel {{channel}}")], { w: 4, h: 8 }),
  ],
});
