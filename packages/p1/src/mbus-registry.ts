/**
 * M-Bus channel rows (`0-n:…`, n = 1…4) and the lookup of any OBIS code in the registry.
 *
 * DSMR 5.0.2 §6.12 and Luxmetering P1 spec v1.1.3 §4.2: each channel sends its device type (`0-n:24.1.0`),
 * equipment id (`0-n:96.1.0`, hex octet string), last index with capture time (`0-n:24.2.1`), valve state
 * (`0-n:24.4.0`) and, on Lux meters, a breaker/relay state (`0-n:96.3.10`). Belgian e-MUCS meters (P1 v1.7.1) send the
 * index as `0-n:24.2.3` and the id as `0-n:96.1.1`; DSMR 2.2/3.0 meters send `0-n:24.3.0` with the value on the next
 * line. Every form fills the same field of the channel, whose medium comes from its device type.
 * Device types follow EN 13757-3 table 3.
 */
import { OBIS_REGISTRY } from "./obis-registry.js";
import type { MbusMedium, MetricSpec, ObisDefinition } from "./obis-types.js";

export const MBUS_CHANNELS = [1, 2, 3, 4] as const;

/** EN 13757-3 device type byte → medium. */
export function mbusMedium(deviceType: number): MbusMedium {
  switch (deviceType) {
    case 3:
      return "gas";
    case 7:
      return "water";
    case 4:
    case 12:
      return "heat";
    case 6:
      return "warm_water";
    case 10:
    case 11:
      return "cooling";
    case 2:
      return "electricity";
    default:
      return "other";
  }
}

/** Unit the channel's index is reported in when the telegram omits it (dummy values carry no unit). */
export function mbusDefaultUnit(medium: MbusMedium): string {
  return medium === "heat" || medium === "cooling" ? "GJ" : medium === "electricity" ? "kWh" : "m3";
}

const UNIT_TO_BASE: Readonly<Record<string, { metric: "volume" | "energy"; scale: number }>> = {
  m3: { metric: "volume", scale: 1 },
  GJ: { metric: "energy", scale: 1e9 },
  MJ: { metric: "energy", scale: 1e6 },
  kWh: { metric: "energy", scale: 3_600_000 },
  MWh: { metric: "energy", scale: 3_600_000_000 },
};

export const MBUS_METRICS = {
  volume: {
    name: "smarty_mbus_volume_cubic_meters_total",
    type: "counter",
    scale: 1,
    help: "Last index of an M-Bus meter measuring volume, gas or water (OBIS 0-n:24.2.1, meter unit m3).",
  },
  energy: {
    name: "smarty_mbus_energy_joules_total",
    type: "counter",
    scale: 1,
    help: "Last index of an M-Bus meter measuring energy, heat or cooling (OBIS 0-n:24.2.1, meter unit GJ or kWh).",
  },
  captureTime: {
    name: "smarty_mbus_capture_timestamp_seconds",
    type: "gauge",
    scale: 1,
    help: "Capture time of the last M-Bus index, Unix seconds (OBIS 0-n:24.2.1).",
  },
  valve: {
    name: "smarty_mbus_valve_state",
    type: "gauge",
    scale: 1,
    help: "Valve position of the M-Bus device, 0 closed, 1 open, 2 released (OBIS 0-n:24.4.0).",
  },
  breaker: {
    name: "smarty_mbus_breaker_state",
    type: "gauge",
    scale: 1,
    help: "Breaker state of the M-Bus channel (OBIS 0-n:96.3.10).",
  },
} as const satisfies Record<string, MetricSpec>;

/** Which base-unit metric an M-Bus index in `unit` maps to, and the factor; undefined for unknown units. */
export function mbusIndexMetric(unit: string): { spec: MetricSpec; scale: number } | undefined {
  const u = UNIT_TO_BASE[unit];
  if (!u) return undefined;
  return { spec: u.metric === "volume" ? MBUS_METRICS.volume : MBUS_METRICS.energy, scale: u.scale };
}

/** Channel rows; `key` is the field of the reading's `mbus[]` entry. */
export const MBUS_REGISTRY: readonly ObisDefinition[] = [
  {
    code: "0-n:24.1.0",
    key: "device_type",
    description: "Device type of M-Bus channel n",
    kind: "state",
    wire: { int: 3, dec: 0 },
  },
  {
    code: "0-n:96.1.0",
    key: "equipment_id",
    description: "Equipment identifier of M-Bus channel n",
    kind: "text",
    hexText: true,
  },
  {
    code: "0-n:24.2.1",
    key: "value",
    description: "Last index of M-Bus channel n, with capture time",
    kind: "energy",
    wire: { int: 5, dec: 3 },
  },
  {
    code: "0-n:24.2.3",
    key: "value",
    description: "Last index of M-Bus channel n, with capture time (e-MUCS, non temperature-corrected)",
    kind: "energy",
    wire: { int: 5, dec: 3 },
  },
  {
    code: "0-n:24.3.0",
    key: "value",
    description: "Last hourly index of M-Bus channel n (DSMR 2.2/3.0), the value on the next line",
    kind: "energy",
    valueOnNextLine: true,
  },
  {
    code: "0-n:96.1.1",
    key: "equipment_id",
    description: "Equipment identifier of M-Bus channel n (e-MUCS)",
    kind: "text",
    hexText: true,
  },
  {
    code: "0-n:24.4.0",
    key: "valve_state",
    description: "Valve position of M-Bus channel n",
    kind: "state",
    wire: { int: 1, dec: 0 },
  },
  {
    code: "0-n:96.3.10",
    key: "breaker_state",
    description: "Breaker state of M-Bus channel n (Lux)",
    kind: "state",
    wire: { int: 1, dec: 0 },
  },
];

const BY_CODE = new Map(OBIS_REGISTRY.map((d) => [d.code, d]));
const BY_KEY = new Map<string, ObisDefinition>(OBIS_REGISTRY.map((d) => [d.key, d]));
const MBUS_BY_SUFFIX = new Map(MBUS_REGISTRY.map((d) => [d.code.slice(4), d]));

/** Registry row of an electricity-meter code such as `1-0:1.8.0`. */
export function findObis(code: string): ObisDefinition | undefined {
  return BY_CODE.get(code);
}

/** Registry row by its stable key (`energy_import_kwh`). */
export function findObisByKey(key: string): ObisDefinition | undefined {
  return BY_KEY.get(key);
}

/** For `0-n:24.2.1` with n in 1…4: the channel and the row; otherwise undefined. */
export function findMbusObis(code: string): { channel: number; def: ObisDefinition } | undefined {
  const m = /^0-([1-4]):(.+)$/.exec(code);
  if (!m) return undefined;
  const def = MBUS_BY_SUFFIX.get(m[2]!);
  return def ? { channel: Number(m[1]), def } : undefined;
}

/** All metric specs of a registry row, whether it has one or several. */
export function metricsOf(def: ObisDefinition): readonly MetricSpec[] {
  if (!def.metric) return [];
  return Array.isArray(def.metric) ? def.metric : [def.metric as MetricSpec];
}
