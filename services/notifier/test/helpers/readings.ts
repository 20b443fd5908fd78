/**
 * Simulated readings for tests: the JSON form of packages/p1's Reading with only the named values a test sets.
 */
import type { MbusReading, Reading } from "@smarty/p1";
import { toLuxembourgIso } from "@smarty/p1";

export interface SimValues {
  readonly import_kwh?: number;
  readonly export_kwh?: number;
  readonly power_kw?: number;
  readonly export_kw?: number;
  readonly voltages?: readonly number[];
  readonly power_failures?: number;
  readonly sags?: readonly number[];
  readonly swells?: readonly number[];
  readonly breaker?: number;
  readonly smax_kva?: number;
  readonly long_message?: string;
  readonly gas_m3?: number;
  readonly gas_time?: number;
  readonly valve?: number;
}

export const METER = "SAG1030790002574";

/** A reading of meter `METER` at UTC instant `t` (ms). */
export function simReading(t: number, v: SimValues, meterId = METER): Reading {
  const named: Record<string, unknown> = {};
  const set = (k: string, x: unknown) => {
    if (x !== undefined) named[k] = x;
  };
  set("energy_import_kwh", v.import_kwh);
  set("energy_export_kwh", v.export_kwh);
  set("power_import_kw", v.power_kw);
  set("power_export_kw", v.export_kw);
  set("power_failures", v.power_failures);
  set("breaker_state", v.breaker);
  set("power_limit_kva", v.smax_kva);
  set("long_message", v.long_message);
  for (const [i, x] of (v.voltages ?? []).entries()) set(`voltage_l${i + 1}_v`, x);
  for (const [i, x] of (v.sags ?? []).entries()) set(`voltage_sags_l${i + 1}`, x);
  for (const [i, x] of (v.swells ?? []).entries()) set(`voltage_swells_l${i + 1}`, x);
  const mbus: MbusReading[] = [];
  if (v.gas_m3 !== undefined) {
    mbus.push({
      channel: 1,
      device_type: 3,
      medium: "gas",
      value: v.gas_m3,
      unit: "m3",
      time: toLuxembourgIso(v.gas_time ?? t),
      ...(v.valve !== undefined ? { valve_state: v.valve } : {}),
    });
  }
  return {
    meter_id: meterId,
    time: toLuxembourgIso(t),
    version: "42",
    header: "Lux5\\253694471_M",
    crc: null,
    obis: {},
    mbus,
    unparsed: [],
    unknown_codes: [],
    ...named,
  };
}
