/**
 * The simulator's own record of what really happened in each frame: unrounded registers and the exact powers it
 * integrated. Reliability tests compute statistics from these values independently of the codec, then compare
 * with what the pipeline derived from the telegrams.
 */
import type { TelegramSpec } from "@smarty/p1";
import type { EnergyRegister } from "./energy-register.js";
import { type Instant, sum, type Triple } from "./meter-state.js";

export interface TruthRecord {
  readonly index: number;
  /** Telegram time, ms since epoch. */
  readonly time: number;
  readonly frameCounter: number;
  /** Milliseconds integrated into this frame (0 for the first frame). */
  readonly intervalMs: number;
  /** Exact register values (kWh, kvarh, m3), not truncated to the meter's 3 decimals. */
  readonly energy_import_kwh: number;
  readonly energy_export_kwh: number;
  readonly reactive_energy_import_kvarh: number;
  readonly reactive_energy_export_kvarh: number;
  readonly gas_m3: number;
  /** Powers held over the interval ending at this frame, W / var (what the telegram shows, in W). */
  readonly power_import_w: number;
  readonly power_export_w: number;
  readonly reactive_power_import_var: number;
  readonly reactive_power_export_var: number;
  readonly phase_import_w: Triple;
  readonly phase_export_w: Triple;
  readonly voltage_v: Triple;
  readonly current_a: Triple;
  /** Gas flow over the interval, litres per hour. */
  readonly gas_flow_lph: number;
  /** Sag counters after this frame; a counter that stepped marks a sag in this frame. */
  readonly voltage_sags: Triple;
  readonly long_message: string;
}

export interface TruthInput {
  readonly index: number;
  readonly time: number;
  readonly frameCounter: number;
  readonly dt: number;
  readonly inst: Instant;
  readonly reg: Readonly<Record<"imp" | "exp" | "qImp" | "qExp" | "gas", EnergyRegister>>;
  readonly gasLph: number;
  readonly spec: TelegramSpec;
  readonly longMessage: string;
}

export function truthRecord(x: TruthInput): TruthRecord {
  const v = x.spec.values;
  const sags: Triple = [Number(v.voltage_sags_l1), Number(v.voltage_sags_l2), Number(v.voltage_sags_l3)];
  return {
    index: x.index,
    time: x.time,
    frameCounter: x.frameCounter,
    intervalMs: x.dt,
    energy_import_kwh: x.reg.imp.exact,
    energy_export_kwh: x.reg.exp.exact,
    reactive_energy_import_kvarh: x.reg.qImp.exact,
    reactive_energy_export_kvarh: x.reg.qExp.exact,
    gas_m3: x.reg.gas.exact,
    power_import_w: sum(x.inst.importW),
    power_export_w: sum(x.inst.exportW),
    reactive_power_import_var: sum(x.inst.reactiveImportVar),
    reactive_power_export_var: sum(x.inst.reactiveExportVar),
    phase_import_w: x.inst.importW,
    phase_export_w: x.inst.exportW,
    voltage_v: x.inst.voltageV,
    current_a: x.inst.currentA,
    gas_flow_lph: x.gasLph,
    voltage_sags: sags,
    long_message: x.longMessage,
  };
}
