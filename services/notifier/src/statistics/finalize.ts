/**
 * Turns a period accumulator into the published `PeriodStatistics` (packages/contracts), rounding energies to
 * watt-hours, powers to watts and money to cents.
 */
import type { PeriodStatistics } from "@smarty/contracts";
import { isoLocal } from "../calendar.js";
import type { Tariff } from "../config-file.js";
import { type PeriodAcc, periodBaseloadW } from "./period-accumulator.js";
import { registerDiff } from "./registers.js";
import { periodCost } from "./tariff.js";

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Sum of per-phase counter differences; null when no phase has both ends. */
function counterSum(start: readonly (number | null)[], end: readonly (number | null)[]): number | null {
  let sum: number | null = null;
  for (let i = 0; i < start.length; i++) {
    const d = registerDiff(start[i] ?? null, end[i] ?? null, 0);
    if (d !== null) sum = (sum ?? 0) + d;
  }
  return sum;
}

const phases = (v: readonly (number | null)[]) => ({ l1: v[0] ?? null, l2: v[1] ?? null, l3: v[2] ?? null });

/** Published statistics of one period; `complete` is true once the period has ended and been closed. */
export function finalizePeriod(acc: PeriodAcc, tariff: Tariff | undefined, complete: boolean): PeriodStatistics {
  const importKwh = registerDiff(acc.startReg.import_kwh, acc.endReg.import_kwh);
  const exportKwh = registerDiff(acc.startReg.export_kwh, acc.endReg.export_kwh);
  const excessKwh = tariff?.power_class ? round3(acc.excessKwh) : null;
  const mbus: PeriodStatistics["mbus"] = [];
  for (const [ch, end] of Object.entries(acc.endReg.mbus)) {
    const start = acc.startReg.mbus[ch];
    const consumption = registerDiff(start?.value ?? null, end.value);
    if (consumption !== null) mbus.push({ channel: Number(ch), medium: end.medium, consumption, unit: end.unit });
  }
  return {
    period: acc.kind,
    start: isoLocal(acc.start),
    end: isoLocal(acc.end),
    complete,
    energy_import_kwh: importKwh,
    energy_export_kwh: exportKwh,
    peak_15min_import_kw: acc.peakKw === null ? null : round3(acc.peakKw),
    peak_15min_at: acc.peakAt === null ? null : isoLocal(acc.peakAt),
    voltage_min_v: phases(acc.vMin),
    voltage_max_v: phases(acc.vMax),
    voltage_sags: counterSum(acc.startReg.sags, acc.endReg.sags),
    voltage_swells: counterSum(acc.startReg.swells, acc.endReg.swells),
    power_failures: registerDiff(acc.startReg.power_failures, acc.endReg.power_failures, 0),
    power_class_excess_kwh: excessKwh,
    baseload_w: periodBaseloadW(acc),
    mbus: mbus.sort((a, b) => a.channel - b.channel),
    cost: tariff
      ? periodCost(tariff, {
          kind: acc.kind,
          start: acc.start,
          end: acc.end,
          importKwh,
          exportKwh,
          excessKwh,
        })
      : null,
    readings: acc.readings,
    first_reading_at: acc.firstAt === null ? null : isoLocal(acc.firstAt),
    last_reading_at: acc.lastAt === null ? null : isoLocal(acc.lastAt),
  };
}
