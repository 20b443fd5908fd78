/**
 * Quantities derived from a reading's named values, computed here once for every service: net active power (import
 * minus export, OBIS 1-0:1.7.0 − 1-0:2.7.0, and per phase 1-0:21.7.0 − 1-0:22.7.0 …, Lux spec v1.1.3 §4) in kW and
 * in W, and the values of one quantity on the three phases.
 */
import type { ObisKey } from "./obis-registry.js";
import type { Phase } from "./obis-types.js";
import { type Reading, readingNumber } from "./reading.js";

export type PhaseNumber = 1 | 2 | 3;

/** The three phases, with their number as used in registry keys (`voltage_l1_v`). */
export const PHASES: readonly { readonly phase: Phase; readonly n: PhaseNumber }[] = [
  { phase: "l1", n: 1 },
  { phase: "l2", n: 2 },
  { phase: "l3", n: 3 },
];

/** kW → W, rounded to the watt the meter resolves (kW with three decimals); null for a missing value. */
export function kwToW(kw: number | undefined): number | null {
  return kw === undefined ? null : Math.round(kw * 1000);
}

/**
 * Net active power in kW, import positive, of the whole meter or of phase `n`; undefined when the meter sends
 * neither the import nor the export register (a missing one of the two counts as 0).
 */
export function netPowerKw(reading: Reading, n?: PhaseNumber): number | undefined {
  const imp = readingNumber(reading, n === undefined ? "power_import_kw" : `power_import_l${n}_kw`);
  const exp = readingNumber(reading, n === undefined ? "power_export_kw" : `power_export_l${n}_kw`);
  if (imp === undefined && exp === undefined) return undefined;
  return (imp ?? 0) - (exp ?? 0);
}

/** Net active power in W (rounded), import positive, of the whole meter or of phase `n`; see netPowerKw. */
export function netPowerW(reading: Reading, n?: PhaseNumber): number | undefined {
  return kwToW(netPowerKw(reading, n)) ?? undefined;
}

/** A per-phase key of the registry with `#` for the phase: `voltage_l#_v` stands for `voltage_l1_v` … `voltage_l3_v`. */
export type PhaseKeyTemplate = ObisKey extends infer K
  ? K extends `${infer A}_l1${infer B}`
    ? `${A}_l#${B}`
    : never
  : never;

/** The numbers of one per-phase quantity, L1 to L3, undefined where the reading lacks a phase. */
export function phaseNumbers(reading: Reading, template: PhaseKeyTemplate): (number | undefined)[] {
  // Every per-phase row is generated for L1-L3 (obis-rows.ts perPhase), so each substituted key is a registry key.
  return PHASES.map(({ n }) => readingNumber(reading, template.replace("#", String(n)) as ObisKey));
}
