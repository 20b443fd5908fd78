/**
 * Register snapshots: the meter's cumulative values (energy registers, event counters, M-Bus indexes) at one
 * instant. Statistics are differences of snapshots ("end minus start"), so gaps in the reading stream and notifier
 * restarts never lose or double energy: whatever was consumed during a gap is still in the next register value.
 */
import { type ObisKey, phaseNumbers, type Reading, readingNumber, readingTimeMs } from "@smarty/p1";

export interface MbusIndex {
  readonly value: number;
  readonly unit: string;
  readonly medium: string;
  /** Capture time of the index (`0-n:24.2.1`), ms; null when the telegram gives none. */
  readonly time: number | null;
}

export interface Registers {
  readonly import_kwh: number | null;
  readonly export_kwh: number | null;
  readonly power_failures: number | null;
  readonly long_power_failures: number | null;
  /** L1, L2, L3. */
  readonly sags: readonly (number | null)[];
  readonly swells: readonly (number | null)[];
  /** By channel number. */
  readonly mbus: Readonly<Record<string, MbusIndex>>;
}

/** One reading reduced to what statistics need. */
export interface Sample {
  /** Meter time of the telegram (ms), or the receive time when the meter sends none. */
  readonly t: number;
  readonly reg: Registers;
  /** Phase voltages L1-L3; null when absent or below the "not connected" threshold. */
  readonly voltages: readonly (number | null)[];
  readonly power_import_kw: number | null;
  readonly power_limit_kva: number | null;
}

const PHASES = [1, 2, 3] as const;
const num = (r: Reading, key: ObisKey): number | null => readingNumber(r, key) ?? null;

/** Builds a sample; `receivedAt` stands in for the telegram time when the meter sends none. */
export function sampleFromReading(reading: Reading, receivedAt: number, minPhaseVoltage: number): Sample {
  const mbus: Record<string, MbusIndex> = {};
  for (const m of reading.mbus) {
    if (m.value === undefined || m.time === undefined) continue; // unconfigured channel or dummy capture time
    const time = Date.parse(m.time);
    mbus[String(m.channel)] = {
      value: m.value,
      unit: m.unit ?? "",
      medium: m.medium,
      time: Number.isNaN(time) ? null : time,
    };
  }
  return {
    t: readingTimeMs(reading) ?? receivedAt,
    reg: {
      import_kwh: num(reading, "energy_import_kwh"),
      export_kwh: num(reading, "energy_export_kwh"),
      power_failures: num(reading, "power_failures"),
      long_power_failures: num(reading, "long_power_failures"),
      sags: phaseNumbers(reading, "voltage_sags_l#").map((v) => v ?? null),
      swells: phaseNumbers(reading, "voltage_swells_l#").map((v) => v ?? null),
      mbus,
    },
    voltages: phaseNumbers(reading, "voltage_l#_v").map((v) => (v !== undefined && v >= minPhaseVoltage ? v : null)),
    power_import_kw: num(reading, "power_import_kw"),
    power_limit_kva: num(reading, "power_limit_kva"),
  };
}

function lerp(a: number | null, b: number | null, f: number): number | null {
  if (a === null || b === null) return a ?? b;
  return a + (b - a) * f;
}

/**
 * Registers at instant `at` between two samples (prev.t <= at <= next.t). Energy registers are interpolated
 * linearly (exact at either sample; across a long gap the unseen energy is shared in proportion to time). Event
 * counters are integers and step: they take the later sample's value only when it lies exactly on `at`. An M-Bus
 * index steps at its own capture time.
 */
export function registersAt(prev: Sample, next: Sample, at: number): Registers {
  if (at >= next.t) return next.reg;
  if (at <= prev.t) return prev.reg;
  const f = (at - prev.t) / (next.t - prev.t);
  const mbus: Record<string, MbusIndex> = { ...prev.reg.mbus };
  for (const [ch, m] of Object.entries(next.reg.mbus)) {
    if (m.time !== null && m.time <= at) mbus[ch] = m;
  }
  return {
    ...prev.reg,
    import_kwh: lerp(prev.reg.import_kwh, next.reg.import_kwh, f),
    export_kwh: lerp(prev.reg.export_kwh, next.reg.export_kwh, f),
    mbus,
  };
}

const pick = (a: number | null, b: number | null) => b ?? a;

/** `over` with holes filled from `base`: a value missing from one telegram does not erase a known one. */
export function mergeRegisters(base: Registers, over: Registers): Registers {
  return {
    import_kwh: pick(base.import_kwh, over.import_kwh),
    export_kwh: pick(base.export_kwh, over.export_kwh),
    power_failures: pick(base.power_failures, over.power_failures),
    long_power_failures: pick(base.long_power_failures, over.long_power_failures),
    sags: PHASES.map((_, i) => pick(base.sags[i] ?? null, over.sags[i] ?? null)),
    swells: PHASES.map((_, i) => pick(base.swells[i] ?? null, over.swells[i] ?? null)),
    mbus: { ...base.mbus, ...over.mbus },
  };
}

/** `base` with holes filled from `later`: a register first seen mid-period starts counting there. */
export function fillRegisters(base: Registers, later: Registers): Registers {
  return mergeRegisters(later, base);
}

/** `end - start` for one register, rounded to `digits`; null when either is unknown or the register went back. */
export function registerDiff(start: number | null, end: number | null, digits = 3): number | null {
  if (start === null || end === null || end < start) return null;
  const f = 10 ** digits;
  return Math.round((end - start) * f) / f;
}
