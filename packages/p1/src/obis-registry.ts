/**
 * The one OBIS registry. Each row names a value of the telegram once: parsing (units when the telegram omits them,
 * hex-decoded text), reading keys, MQTT state topics, Prometheus metrics and Home Assistant discovery all read it.
 *
 * Sources: Luxmetering "E-Meter P1 Specification" v1.1.3 §4 (Lux rows), DSMR 5.0.2 P1 Companion Standard §6.12
 * (tariff registers, 96.14.0, 96.7.9, 99.97.0, 96.1.1), and the community Smarty reader OBIS table.
 * Metric names follow Prometheus naming: base units, `_total` on counters only, one quantity per metric.
 */
import type { MetricSpec, ObisDefinition, Phase } from "./obis-types.js";

const KWH_TO_J = 3_600_000;
/**
 * kvarh → var·s (volt-ampere reactive seconds), the reactive counterpart of kWh → J: `promtool check metrics`
 * rejects `hours` in a metric name and asks for the base unit seconds.
 */
const KVARH_TO_VARS = 3_600_000;
const PHASES: readonly { phase: Phase; n: number }[] = [
  { phase: "l1", n: 1 },
  { phase: "l2", n: 2 },
  { phase: "l3", n: 3 },
];

const gauge = (name: string, scale: number, help: string, labels?: Record<string, string>): MetricSpec => ({
  name,
  type: "gauge",
  scale,
  help,
  ...(labels ? { labels } : {}),
});
const counter = (name: string, scale: number, help: string, labels?: Record<string, string>): MetricSpec => ({
  name,
  type: "counter",
  scale,
  help,
  ...(labels ? { labels } : {}),
});

/** Per-phase rows: `group` is the OBIS C offset of L1 (21 = P+ L1); L2 and L3 are +20 and +40 (IEC 62056-61). */
function perPhase(
  c1: number,
  d: string,
  make: (p: Phase, n: number, code: string) => Omit<ObisDefinition, "code" | "phase">,
): ObisDefinition[] {
  return PHASES.map(({ phase, n }) => {
    const code = `1-0:${c1 + (n - 1) * 20}.${d}`;
    return { code, phase, ...make(phase, n, code) };
  });
}

const energy = (
  code: string,
  key: string,
  description: string,
  unit: "kWh" | "kvarh",
  metricName: string,
  labels?: Record<string, string>,
  help = `${description} (OBIS ${code}, meter unit ${unit}).`,
): ObisDefinition => ({
  code,
  key,
  description,
  kind: "energy",
  unit,
  metric: counter(metricName, unit === "kWh" ? KWH_TO_J : KVARH_TO_VARS, help, labels),
  homeAssistant:
    unit === "kWh" ? { device_class: "energy", state_class: "total_increasing" } : { state_class: "total_increasing" },
  wire: { int: 6, dec: 3 },
});

const power = (
  code: string,
  key: string,
  description: string,
  unit: "kW" | "kvar" | "kVA",
  metricName: string,
  labels?: Record<string, string>,
  help = `${description} (OBIS ${code}, meter unit ${unit}).`,
): ObisDefinition => ({
  code,
  key,
  description,
  kind: "power",
  unit,
  metric: gauge(metricName, 1000, help, labels),
  homeAssistant: {
    device_class: unit === "kW" ? "power" : unit === "kvar" ? "reactive_power" : "apparent_power",
    state_class: "measurement",
  },
  wire: { int: 2, dec: 3 },
});

const eventCounter = (code: string, key: string, description: string, metric: MetricSpec): ObisDefinition => ({
  code,
  key,
  description,
  kind: "counter",
  metric,
  homeAssistant: { state_class: "total_increasing", icon: "mdi:flash-alert" },
  wire: { int: 5, dec: 0 },
});

const longMessage = (code: string, key: string, description: string): ObisDefinition => ({
  code,
  key,
  description,
  kind: "text",
  hexText: true,
  homeAssistant: { icon: "mdi:message-text" },
});

/** Electricity meter rows, in the order of the Lux spec Appendix A telegram. */
export const OBIS_REGISTRY: readonly ObisDefinition[] = [
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
  energy("1-0:1.8.0", "energy_import_kwh", "Active energy imported", "kWh", "smarty_energy_imported_joules_total"),
  energy("1-0:2.8.0", "energy_export_kwh", "Active energy exported", "kWh", "smarty_energy_exported_joules_total"),
  energy(
    "1-0:3.8.0",
    "reactive_energy_import_kvarh",
    "Reactive energy imported (Q+)",
    "kvarh",
    "smarty_reactive_energy_imported_volt_ampere_reactive_seconds_total",
  ),
  energy(
    "1-0:4.8.0",
    "reactive_energy_export_kvarh",
    "Reactive energy exported (Q-)",
    "kvarh",
    "smarty_reactive_energy_exported_volt_ampere_reactive_seconds_total",
  ),
  ...[1, 2].flatMap((t) => [
    energy(
      `1-0:1.8.${t}`,
      `energy_import_tariff${t}_kwh`,
      `Active energy imported in tariff ${t}`,
      "kWh",
      "smarty_tariff_energy_imported_joules_total",
      { tariff: String(t) },
      "Active energy imported per tariff (OBIS 1-0:1.8.1, 1-0:1.8.2, meter unit kWh).",
    ),
    energy(
      `1-0:2.8.${t}`,
      `energy_export_tariff${t}_kwh`,
      `Active energy exported in tariff ${t}`,
      "kWh",
      "smarty_tariff_energy_exported_joules_total",
      { tariff: String(t) },
      "Active energy exported per tariff (OBIS 1-0:2.8.1, 1-0:2.8.2, meter unit kWh).",
    ),
  ]),
  {
    code: "0-0:96.14.0",
    key: "tariff_indicator",
    description: "Tariff indicator (DSMR)",
    kind: "state",
    metric: gauge("smarty_tariff_active", 1, "Tariff currently active (OBIS 0-0:96.14.0)."),
    wire: { int: 4, dec: 0 },
  },
  power("1-0:1.7.0", "power_import_kw", "Active power imported", "kW", "smarty_power_imported_watts"),
  power("1-0:2.7.0", "power_export_kw", "Active power exported", "kW", "smarty_power_exported_watts"),
  power(
    "1-0:3.7.0",
    "reactive_power_import_kvar",
    "Reactive power imported (Q+)",
    "kvar",
    "smarty_reactive_power_imported_volt_amperes_reactive",
  ),
  power(
    "1-0:4.7.0",
    "reactive_power_export_kvar",
    "Reactive power exported (Q-)",
    "kvar",
    "smarty_reactive_power_exported_volt_amperes_reactive",
  ),
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
  power(
    "1-0:9.7.0",
    "apparent_power_import_kva",
    "Apparent power imported",
    "kVA",
    "smarty_apparent_power_imported_volt_amperes",
  ),
  power(
    "1-0:10.7.0",
    "apparent_power_export_kva",
    "Apparent power exported",
    "kVA",
    "smarty_apparent_power_exported_volt_amperes",
  ),
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
  eventCounter(
    "0-0:96.7.21",
    "power_failures",
    "Number of power failures in any phase",
    counter("smarty_power_failures_total", 1, "Power failures in any phase (OBIS 0-0:96.7.21)."),
  ),
  eventCounter(
    "0-0:96.7.9",
    "long_power_failures",
    "Number of long power failures in any phase",
    counter("smarty_long_power_failures_total", 1, "Long power failures in any phase (OBIS 0-0:96.7.9)."),
  ),
  { code: "1-0:99.97.0", key: "power_failure_log", description: "Power failure event log", kind: "log" },
  ...perPhase(32, "32.0", (phase, n, code) =>
    eventCounter(
      code,
      `voltage_sags_l${n}`,
      `Number of voltage sags in phase L${n}`,
      counter("smarty_voltage_sags_total", 1, `Voltage sags per phase (OBIS 1-0:32.32.0, 52.32.0, 72.32.0).`, {
        phase,
      }),
    ),
  ),
  ...perPhase(32, "36.0", (phase, n, code) =>
    eventCounter(
      code,
      `voltage_swells_l${n}`,
      `Number of voltage swells in phase L${n}`,
      counter("smarty_voltage_swells_total", 1, `Voltage swells per phase (OBIS 1-0:32.36.0, 52.36.0, 72.36.0).`, {
        phase,
      }),
    ),
  ),
  longMessage("0-0:96.13.0", "long_message", "Long message of the electricity meter"),
  longMessage("0-0:96.13.1", "short_message", "Short message (DSMR 4)"),
  ...[2, 3, 4, 5].map((n) => longMessage(`0-0:96.13.${n}`, `long_message_${n}`, `Long message ${n} (Lux)`)),
  ...perPhase(32, "7.0", (phase, n) => ({
    key: `voltage_l${n}_v`,
    description: `Instantaneous voltage L${n}`,
    kind: "voltage" as const,
    unit: "V",
    metric: gauge(
      "smarty_voltage_volts",
      1,
      "Instantaneous voltage per phase (OBIS 1-0:32.7.0, 52.7.0, 72.7.0, meter unit V).",
      { phase },
    ),
    homeAssistant: { device_class: "voltage", state_class: "measurement" as const },
    wire: { int: 3, dec: 1 },
  })),
  ...perPhase(31, "7.0", (phase, n) => ({
    key: `current_l${n}_a`,
    description: `Instantaneous current L${n}`,
    kind: "current" as const,
    unit: "A",
    metric: gauge(
      "smarty_current_amperes",
      1,
      "Instantaneous current per phase (OBIS 1-0:31.7.0, 51.7.0, 71.7.0, meter unit A).",
      { phase },
    ),
    homeAssistant: { device_class: "current", state_class: "measurement" as const },
    wire: { int: 3, dec: 0 },
  })),
  ...perPhase(21, "7.0", (phase, n, code) =>
    power(
      code,
      `power_import_l${n}_kw`,
      `Active power imported L${n}`,
      "kW",
      "smarty_phase_power_imported_watts",
      { phase },
      "Active power imported per phase (OBIS 1-0:21.7.0, 41.7.0, 61.7.0, meter unit kW).",
    ),
  ),
  ...perPhase(22, "7.0", (phase, n, code) =>
    power(
      code,
      `power_export_l${n}_kw`,
      `Active power exported L${n}`,
      "kW",
      "smarty_phase_power_exported_watts",
      { phase },
      "Active power exported per phase (OBIS 1-0:22.7.0, 42.7.0, 62.7.0, meter unit kW).",
    ),
  ),
  ...perPhase(23, "7.0", (phase, n, code) =>
    power(
      code,
      `reactive_power_import_l${n}_kvar`,
      `Reactive power imported L${n}`,
      "kvar",
      "smarty_phase_reactive_power_imported_volt_amperes_reactive",
      { phase },
      "Reactive power imported per phase (OBIS 1-0:23.7.0, 43.7.0, 63.7.0, meter unit kvar).",
    ),
  ),
  ...perPhase(24, "7.0", (phase, n, code) =>
    power(
      code,
      `reactive_power_export_l${n}_kvar`,
      `Reactive power exported L${n}`,
      "kvar",
      "smarty_phase_reactive_power_exported_volt_amperes_reactive",
      { phase },
      "Reactive power exported per phase (OBIS 1-0:24.7.0, 44.7.0, 64.7.0, meter unit kvar).",
    ),
  ),
];
