/**
 * A Lux meter's registers over October 2026, known exactly at every reading, and the figures a correct dashboard
 * must show for each Luxembourg calendar period, computed here independently of the notifier.
 *
 * Readings: every local midnight, every 3 hours (the registers only need the boundaries), and every 15 minutes from
 * 2026-10-24 to 2026-10-28 local so quarter hours (peak, power-class excess) exist around the DST change. Power is
 * constant between two readings, so a register at a reading is the exact sum of whole watt-hours: no rounding.
 */
import type { Reading } from "@smarty/p1";
import { toLuxembourgIso } from "@smarty/p1";

export const METER = "SAG1030700012701";
export const PRICE = 0.2921;
export const EXPORT_PRICE = 0.1;
export const EXCESS_PRICE = 0.1139;
export const CLASS_KW = 3;

const H = 3_600_000;
const utc = (s: string) => Date.parse(s);
/** Local midnight of 2026-mm-dd: CEST (UTC+2) until the change at 2026-10-25 01:00Z, CET (UTC+1) after it. */
export function localMidnight(month: number, day: number): number {
  const t = Date.UTC(2026, month - 1, day);
  const cest = t - 2 * H;
  return cest < utc("2026-10-25T01:00:00Z") ? cest : t - H;
}
/** Hour of the day in Luxembourg. */
const localHour = (t: number) => new Date(t + (t < utc("2026-10-25T01:00:00Z") ? 2 : 1) * H).getUTCHours();

export const OCT_1 = localMidnight(10, 1);
export const NOV_1 = localMidnight(11, 1);
const DENSE_FROM = localMidnight(10, 24);
const DENSE_TO = localMidnight(10, 28);
const LAST = localMidnight(11, 2) + 3 * H;

/** Local day starts from Oct 1 to Nov 2, the 25-hour Oct 25 among them. */
export const DAY_STARTS = Array.from({ length: 33 }, (_, i) =>
  i < 31 ? localMidnight(10, i + 1) : localMidnight(11, i - 30),
);

function readingTimes(): number[] {
  const set = new Set<number>(DAY_STARTS);
  for (let t = OCT_1; t <= LAST; t += 3 * H) set.add(t);
  for (let t = DENSE_FROM; t <= DENSE_TO; t += H / 4) set.add(t);
  return [...set].filter((t) => t <= LAST).sort((a, b) => a - b);
}

/** kW imported and exported from `t` on: evening peak above the 3 kW class, a midday PV export. */
function power(t: number): { imp: number; exp: number } {
  const h = localHour(t);
  const day = new Date(t + 2 * H).getUTCDate();
  const evening = h >= 18 && h < 22 ? 3.2 + (day % 3) * 0.1 : 0;
  return { imp: 0.3 + (day % 5) * 0.05 + evening, exp: h >= 11 && h < 15 ? 1.5 : 0 };
}

export interface Sample {
  readonly t: number;
  /** Registers in Wh. */
  readonly impWh: number;
  readonly expWh: number;
}

export interface Quarter {
  readonly start: number;
  readonly impWh: number;
}

export function meterSamples(): { samples: Sample[]; quarters: Quarter[] } {
  const samples: Sample[] = [];
  const quarters: Quarter[] = [];
  let impWh = 5_000_000;
  let expWh = 120_000;
  let prev: number | undefined;
  for (const t of readingTimes()) {
    if (prev !== undefined) {
      const p = power(prev);
      const hours = (t - prev) / H;
      const di = Math.round(p.imp * hours * 1000);
      impWh += di;
      expWh += Math.round(p.exp * hours * 1000);
      // A quarter hour the notifier can derive: two readings 15 minutes apart on the quarter grid.
      if (t - prev === H / 4 && prev % (H / 4) === 0) quarters.push({ start: prev, impWh: di });
    }
    samples.push({ t, impWh, expWh });
    prev = t;
  }
  return { samples, quarters };
}

export function readingAt(s: Sample): Reading {
  return {
    meter_id: METER,
    time: toLuxembourgIso(s.t),
    version: "42",
    header: "Lux5\\253694471_M",
    crc: null,
    obis: {},
    mbus: [],
    unparsed: [],
    unknown_codes: [],
    energy_import_kwh: s.impWh / 1000,
    energy_export_kwh: s.expWh / 1000,
    voltage_l1_v: 230,
  } as Reading;
}

export interface PeriodFigures {
  readonly importKwh: number;
  readonly exportKwh: number;
  readonly excessKwh: number;
  readonly peakW: number | null;
  /** The notifier's total: energy − export credit + power-class excess, each unrounded, then cents. */
  readonly cost: number;
}

/** What the period [start, end) must show, from the registers at its two boundaries (both are readings). */
export function figures(model: ReturnType<typeof meterSamples>, start: number, end: number): PeriodFigures {
  const at = (t: number) => {
    const s = model.samples.find((x) => x.t === t);
    if (!s) throw new Error(`no reading at ${new Date(t).toISOString()}`);
    return s;
  };
  const importKwh = (at(end).impWh - at(start).impWh) / 1000;
  const exportKwh = (at(end).expWh - at(start).expWh) / 1000;
  const inside = model.quarters.filter((q) => q.start >= start && q.start + H / 4 <= end);
  const excessKwh = inside.reduce((sum, q) => sum + Math.max(0, q.impWh / 1000 - CLASS_KW * 0.25), 0);
  const peakW = inside.length === 0 ? null : Math.max(...inside.map((q) => q.impWh * 4));
  const total = importKwh * PRICE - exportKwh * EXPORT_PRICE + excessKwh * EXCESS_PRICE;
  return { importKwh, exportKwh, excessKwh, peakW, cost: Math.round(total * 100) / 100 };
}
