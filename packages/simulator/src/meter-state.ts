/**
 * One frame's worth of meter quantities as the meter writes them (integer W, var, VA, whole volts and amperes), and
 * the spec the p1 encoder turns into telegram text. Totals are the sums of the phases, so the telegram agrees with
 * itself exactly: `1-0:1.7.0` = `21.7.0 + 41.7.0 + 61.7.0` to the watt.
 */
import type { MbusSpec, TelegramSpec } from "@smarty/p1";

export type Triple = readonly [number, number, number];

/** Instantaneous values of one frame, in the meter's resolution. */
export interface Instant {
  /** Active power per phase, W, import and export (one of the two is 0 on each phase). */
  readonly importW: Triple;
  readonly exportW: Triple;
  /** Reactive power per phase, var (Q+ inductive, Q− capacitive). */
  readonly reactiveImportVar: Triple;
  readonly reactiveExportVar: Triple;
  /** Apparent power per phase, VA. */
  readonly apparentVa: Triple;
  /** Whole volts, as Lux meters write them (`231.0*V`). */
  readonly voltageV: Triple;
  /** Whole amperes (`001*A`): |P| / V rounded. */
  readonly currentA: Triple;
}

/** A triple from a function of the phase index. */
export function triple(f: (i: 0 | 1 | 2) => number): Triple {
  return [f(0), f(1), f(2)];
}

export function sum(t: Triple): number {
  return t[0] + t[1] + t[2];
}

/** Registers and counters at the frame, as displayed. */
export interface Displayed {
  readonly energyImportKwh: number;
  readonly energyExportKwh: number;
  readonly reactiveImportKvarh: number;
  readonly reactiveExportKvarh: number;
  readonly powerFailures: number;
  readonly sags: Triple;
  readonly swells: Triple;
  readonly longMessage: string;
}

export interface MeterIdentity {
  readonly header: string;
  readonly meterId: string;
  readonly currentLimitA: number;
  readonly gasEquipmentId: string;
}

/** SMAX in kVA for a three-phase connection of `limitA` amperes at 230 V (40 A → 27.6 kVA, Lux spec examples). */
export function smaxKva(limitA: number): number {
  return Math.round((limitA * 230 * 3) / 100) / 10;
}

const kilo = (n: number) => n / 1000;

/** Builds the encoder spec in registry keys and units (kWh, kW, kvar, kVA, V, A). */
export function buildSpec(
  id: MeterIdentity,
  time: number,
  inst: Instant,
  shown: Displayed,
  gas: { readonly litres: number; readonly time: number },
): TelegramSpec {
  const values: Record<string, number | string | readonly number[]> = {
    p1_version: "42",
    logical_device_name: id.meterId,
    energy_import_kwh: shown.energyImportKwh,
    energy_export_kwh: shown.energyExportKwh,
    reactive_energy_import_kvarh: shown.reactiveImportKvarh,
    reactive_energy_export_kvarh: shown.reactiveExportKvarh,
    power_import_kw: kilo(sum(inst.importW)),
    power_export_kw: kilo(sum(inst.exportW)),
    reactive_power_import_kvar: kilo(sum(inst.reactiveImportVar)),
    reactive_power_export_kvar: kilo(sum(inst.reactiveExportVar)),
    power_limit_kva: smaxKva(id.currentLimitA),
    apparent_power_import_kva: kilo(sumWhere(inst.apparentVa, inst.exportW, false)),
    apparent_power_export_kva: kilo(sumWhere(inst.apparentVa, inst.exportW, true)),
    current_limit_a: [id.currentLimitA, -id.currentLimitA],
    breaker_state: 1,
    power_failures: shown.powerFailures,
    long_message: shown.longMessage,
  };
  for (const i of [0, 1, 2] as const) {
    const n = i + 1;
    values[`voltage_sags_l${n}`] = shown.sags[i];
    values[`voltage_swells_l${n}`] = shown.swells[i];
    values[`voltage_l${n}_v`] = inst.voltageV[i];
    values[`current_l${n}_a`] = inst.currentA[i];
    values[`power_import_l${n}_kw`] = kilo(inst.importW[i]);
    values[`power_export_l${n}_kw`] = kilo(inst.exportW[i]);
    values[`reactive_power_import_l${n}_kvar`] = kilo(inst.reactiveImportVar[i]);
    values[`reactive_power_export_l${n}_kvar`] = kilo(inst.reactiveExportVar[i]);
  }
  for (const n of [2, 3, 4, 5]) values[`long_message_${n}`] = "";
  const mbus: MbusSpec[] = [
    {
      channel: 1,
      device_type: 3,
      equipment_id: id.gasEquipmentId,
      value: gas.litres / 1000,
      unit: "m3",
      time: gas.time,
      valve_state: 1,
    },
  ];
  return { header: id.header, time, values, mbus };
}

/** Apparent power of the exporting phases (`exporting`) or of the others. */
export function sumWhere(apparent: Triple, exportW: Triple, exporting: boolean): number {
  let s = 0;
  for (const i of [0, 1, 2] as const) if (exportW[i] > 0 === exporting) s += apparent[i];
  return s;
}
