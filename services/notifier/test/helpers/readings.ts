/**
 * Shorthand for the long simulated series of the statistics and alert tests: per-phase arrays and short names,
 * turned into registry keys and handed to the testkit reading builder. `wire: false` keeps the exact numbers, so
 * hand-computed energy sums are not blurred by the meter's three decimals.
 */
import type { MbusSpec, Reading } from "@smarty/p1";
import { buildReading, type ReadingValues } from "@smarty/testkit/reading-builder";

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

const PHASES = ["l1", "l2", "l3"] as const;

/** A reading of meter `METER` at UTC instant `t` (ms). */
export function simReading(t: number, v: SimValues, meterId = METER): Reading {
  const values: { -readonly [K in keyof ReadingValues]: ReadingValues[K] } = {
    energy_import_kwh: v.import_kwh,
    energy_export_kwh: v.export_kwh,
    power_import_kw: v.power_kw,
    power_export_kw: v.export_kw,
    power_failures: v.power_failures,
    breaker_state: v.breaker,
    power_limit_kva: v.smax_kva,
    long_message: v.long_message,
  };
  for (const [i, phase] of PHASES.entries()) {
    values[`voltage_${phase}_v`] = v.voltages?.[i];
    values[`voltage_sags_${phase}`] = v.sags?.[i];
    values[`voltage_swells_${phase}`] = v.swells?.[i];
  }
  const mbus: MbusSpec[] =
    v.gas_m3 === undefined
      ? []
      : [{ channel: 1, device_type: 3, value: v.gas_m3, unit: "m3", time: v.gas_time ?? t, valve_state: v.valve }];
  const set = Object.fromEntries(Object.entries(values).filter(([, x]) => x !== undefined)) as ReadingValues;
  return buildReading({
    wire: false,
    base: "none",
    header: "Lux5\\253694471_M",
    meterId,
    time: t,
    values: set,
    mbus,
  });
}
