/**
 * The one OBIS registry. Each row names a value of the telegram once: parsing (units when the telegram omits them,
 * hex-decoded text), reading keys, MQTT state topics, Prometheus metrics and Home Assistant discovery all read it.
 * It is data: the row builders (obis-rows.ts) only fill in what every row of a kind shares.
 *
 * Sources: Luxmetering "E-Meter P1 Specification" v1.1.3 §4 (Lux rows), DSMR 5.0.2 P1 Companion Standard §6.12
 * (tariff registers, 96.14.0, 96.7.9, 99.97.0, 96.1.1), the Belgian e-MUCS P1 specification v1.7.1 (Fluvius: 96.1.4,
 * 96.1.2, 94.32.1, 1.4.0, 1.6.0, 98.1.0, 31.4.0) and the community Smarty reader OBIS table.
 */
import { electric, energy, eventCounter, gauge, message, numbered, perPhase, power } from "./obis-rows.js";
import type { ObisDefinition } from "./obis-types.js";

const ROWS = [
  { code: "1-3:0.2.8", key: "p1_version", description: "Version of the P1 output", kind: "version" },
  { code: "0-0:1.0.0", key: "timestamp", description: "Date and time of the telegram", kind: "time" },
  {
    code: "0-0:42.0.0",
    key: "logical_device_name",
    description: "Logical device name (Lux meter id)",
    kind: "text",
    hexText: true,
  },
  {
    code: "0-0:96.1.1",
    key: "equipment_id",
    description: "Equipment identifier (DSMR meter id)",
    kind: "text",
    hexText: true,
  },
  energy({
    code: "1-0:1.8.0",
    key: "energy_import_kwh",
    description: "Active energy imported",
    unit: "kWh",
    metric: "smarty_energy_imported_joules_total",
  }),
  energy({
    code: "1-0:2.8.0",
    key: "energy_export_kwh",
    description: "Active energy exported",
    unit: "kWh",
    metric: "smarty_energy_exported_joules_total",
  }),
  energy({
    code: "1-0:3.8.0",
    key: "reactive_energy_import_kvarh",
    description: "Reactive energy imported (Q+)",
    unit: "kvarh",
    metric: "smarty_reactive_energy_imported_volt_ampere_reactive_seconds_total",
  }),
  energy({
    code: "1-0:4.8.0",
    key: "reactive_energy_export_kvarh",
    description: "Reactive energy exported (Q-)",
    unit: "kvarh",
    metric: "smarty_reactive_energy_exported_volt_ampere_reactive_seconds_total",
  }),
  ...([1, 2] as const).flatMap((t) => [
    ...numbered([t], energy, {
      code: "1-0:1.8.#",
      key: "energy_import_tariff#_kwh",
      description: "Active energy imported in tariff #",
      unit: "kWh",
      metric: "smarty_tariff_energy_imported_joules_total",
      labels: { tariff: String(t) },
      help: "Active energy imported per tariff (OBIS 1-0:1.8.1, 1-0:1.8.2, meter unit kWh).",
    }),
    ...numbered([t], energy, {
      code: "1-0:2.8.#",
      key: "energy_export_tariff#_kwh",
      description: "Active energy exported in tariff #",
      unit: "kWh",
      metric: "smarty_tariff_energy_exported_joules_total",
      labels: { tariff: String(t) },
      help: "Active energy exported per tariff (OBIS 1-0:2.8.1, 1-0:2.8.2, meter unit kWh).",
    }),
  ]),
  {
    code: "0-0:96.14.0",
    key: "tariff_indicator",
    description: "Tariff indicator (DSMR)",
    kind: "state",
    metric: gauge("smarty_tariff_active", 1, "Tariff currently active (OBIS 0-0:96.14.0)."),
    wire: { int: 4, dec: 0 },
  },
  power({
    code: "1-0:1.7.0",
    key: "power_import_kw",
    description: "Active power imported",
    unit: "kW",
    metric: "smarty_power_imported_watts",
  }),
  power({
    code: "1-0:2.7.0",
    key: "power_export_kw",
    description: "Active power exported",
    unit: "kW",
    metric: "smarty_power_exported_watts",
  }),
  power({
    code: "1-0:3.7.0",
    key: "reactive_power_import_kvar",
    description: "Reactive power imported (Q+)",
    unit: "kvar",
    metric: "smarty_reactive_power_imported_volt_amperes_reactive",
  }),
  power({
    code: "1-0:4.7.0",
    key: "reactive_power_export_kvar",
    description: "Reactive power exported (Q-)",
    unit: "kvar",
    metric: "smarty_reactive_power_exported_volt_amperes_reactive",
  }),
  {
    code: "0-0:17.0.0",
    key: "power_limit_kva",
    description: "Active threshold SMAX (contracted power limit)",
    kind: "limit",
    unit: "kVA",
    metric: gauge("smarty_power_limit_volt_amperes", 1000, "Active threshold SMAX (OBIS 0-0:17.0.0, meter unit kVA)."),
    homeAssistant: { device_class: "apparent_power", state_class: "measurement" },
    wire: { int: 3, dec: 1 },
  },
  power({
    code: "1-0:9.7.0",
    key: "apparent_power_import_kva",
    description: "Apparent power imported",
    unit: "kVA",
    metric: "smarty_apparent_power_imported_volt_amperes",
  }),
  power({
    code: "1-0:10.7.0",
    key: "apparent_power_export_kva",
    description: "Apparent power exported",
    unit: "kVA",
    metric: "smarty_apparent_power_exported_volt_amperes",
  }),
  {
    code: "1-1:31.4.0",
    key: "current_limit_a",
    description: "Current limitation threshold (import, export)",
    kind: "limit",
    unit: "A",
    values: 2,
    metric: [
      {
        ...gauge(
          "smarty_current_limit_imported_amperes",
          1,
          "Current limit on import (OBIS 1-1:31.4.0, first value, meter unit A).",
        ),
        valueIndex: 0,
        absolute: true,
      },
      {
        ...gauge(
          "smarty_current_limit_exported_amperes",
          1,
          "Current limit on export (OBIS 1-1:31.4.0, second value, meter unit A).",
        ),
        valueIndex: 1,
        absolute: true,
      },
    ],
    homeAssistant: { device_class: "current", state_class: "measurement" },
    wire: { int: 3, dec: 0 },
  },
  {
    code: "0-0:96.3.10",
    key: "breaker_state",
    description: "Breaker control state (0 open, 1 closed, 2 ready for reconnection)",
    kind: "state",
    metric: gauge("smarty_breaker_state", 1, "Breaker control state, 0 open, 1 closed, 2 ready (OBIS 0-0:96.3.10)."),
    homeAssistant: { icon: "mdi:electric-switch" },
    wire: { int: 1, dec: 0 },
  },
  eventCounter({
    code: "0-0:96.7.21",
    key: "power_failures",
    description: "Number of power failures in any phase",
    metric: "smarty_power_failures_total",
    help: "Power failures in any phase (OBIS 0-0:96.7.21).",
  }),
  eventCounter({
    code: "0-0:96.7.9",
    key: "long_power_failures",
    description: "Number of long power failures in any phase",
    metric: "smarty_long_power_failures_total",
    help: "Long power failures in any phase (OBIS 0-0:96.7.9).",
  }),
  { code: "1-0:99.97.0", key: "power_failure_log", description: "Power failure event log", kind: "log" },
  ...perPhase(eventCounter, {
    code: "1-0:32.32.0",
    key: "voltage_sags_l#",
    description: "Number of voltage sags in phase L#",
    metric: "smarty_voltage_sags_total",
    help: "Voltage sags per phase",
  }),
  ...perPhase(eventCounter, {
    code: "1-0:32.36.0",
    key: "voltage_swells_l#",
    description: "Number of voltage swells in phase L#",
    metric: "smarty_voltage_swells_total",
    help: "Voltage swells per phase",
  }),
  message({ code: "0-0:96.13.0", key: "long_message", description: "Long message of the electricity meter" }),
  message({ code: "0-0:96.13.1", key: "short_message", description: "Short message (DSMR 4)" }),
  ...numbered([2, 3, 4, 5], message, {
    code: "0-0:96.13.#",
    key: "long_message_#",
    description: "Long message # (Lux)",
  }),
  ...perPhase(electric, {
    code: "1-0:32.7.0",
    key: "voltage_l#_v",
    description: "Instantaneous voltage L#",
    kind: "voltage",
    unit: "V",
    metric: "smarty_voltage_volts",
    help: "Instantaneous voltage per phase",
  }),
  ...perPhase(electric, {
    code: "1-0:31.7.0",
    key: "current_l#_a",
    description: "Instantaneous current L#",
    kind: "current",
    unit: "A",
    metric: "smarty_current_amperes",
    help: "Instantaneous current per phase",
  }),
  ...perPhase(power, {
    code: "1-0:21.7.0",
    key: "power_import_l#_kw",
    description: "Active power imported L#",
    unit: "kW",
    metric: "smarty_phase_power_imported_watts",
    help: "Active power imported per phase",
  }),
  ...perPhase(power, {
    code: "1-0:22.7.0",
    key: "power_export_l#_kw",
    description: "Active power exported L#",
    unit: "kW",
    metric: "smarty_phase_power_exported_watts",
    help: "Active power exported per phase",
  }),
  ...perPhase(power, {
    code: "1-0:23.7.0",
    key: "reactive_power_import_l#_kvar",
    description: "Reactive power imported L#",
    unit: "kvar",
    metric: "smarty_phase_reactive_power_imported_volt_amperes_reactive",
    help: "Reactive power imported per phase",
  }),
  ...perPhase(power, {
    code: "1-0:24.7.0",
    key: "reactive_power_export_l#_kvar",
    description: "Reactive power exported L#",
    unit: "kvar",
    metric: "smarty_phase_reactive_power_exported_volt_amperes_reactive",
    help: "Reactive power exported per phase",
  }),
  // Belgian e-MUCS P1 v1.7.1 (Fluvius); the Swiss P1 sends 96.1.4, 1.4.0 and 98.1.0 too.
  { code: "0-0:96.1.4", key: "emucs_version", description: "Version information (e-MUCS P1)", kind: "version" },
  {
    code: "1-0:94.32.1",
    key: "grid_configuration",
    description: "Grid configuration id (e-MUCS: 400 on a 3N400V grid, 230 on a 3x230V grid)",
    kind: "version",
  },
  {
    code: "0-0:96.1.2",
    key: "ean_code",
    description: "EAN code of the connection point (e-MUCS)",
    kind: "text",
    hexText: true,
  },
  power({
    code: "1-0:1.4.0",
    key: "average_demand_kw",
    description: "Current average demand of the quarter hour (e-MUCS)",
    unit: "kW",
    metric: "smarty_average_demand_watts",
  }),
  {
    ...power({
      code: "1-0:1.6.0",
      key: "peak_demand_month_kw",
      description: "Peak demand of the current month (e-MUCS; its time is in the obis entry)",
      unit: "kW",
      metric: "smarty_peak_demand_month_watts",
    }),
    timed: true,
  },
  {
    code: "0-0:98.1.0",
    key: "peak_demand_history",
    description: "Peak demand of each of the last 13 months, with its time (e-MUCS)",
    kind: "peak_log",
  },
  {
    code: "1-0:31.4.0",
    key: "fuse_threshold_a",
    description: "Fuse supervision threshold (e-MUCS)",
    kind: "limit",
    unit: "A",
    metric: gauge("smarty_fuse_threshold_amperes", 1, "Fuse supervision threshold (OBIS 1-0:31.4.0, meter unit A)."),
    homeAssistant: { device_class: "current", state_class: "measurement" },
    wire: { int: 3, dec: 0 },
  },
] as const satisfies readonly ObisDefinition[];

/** A row of the electricity meter registry, with its key and kind as literal types. */
export type ObisRegistryRow = (typeof ROWS)[number];
/** Every named value of a reading: a misspelt key fails to compile wherever it is used. */
export type ObisKey = ObisRegistryRow["key"];

/** Electricity meter rows, in the order of the Lux spec Appendix A telegram. */
export const OBIS_REGISTRY: readonly (ObisDefinition & { readonly key: ObisKey })[] = ROWS;
