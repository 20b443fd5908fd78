/**
 * One simulated day in a household: when people wake, cook, run the washing machine, charge the car, what the
 * weather does. Each local (Europe/Luxembourg) day draws its plan from its own seeded stream, so a given seed
 * gives the same day whatever the start time or interval of the simulation.
 */
import { luxembourgOffsetMinutes } from "@smarty/p1";
import { mixSeed, Prng } from "./prng.js";

const DAY_MS = 86_400_000;

/** Local calendar facts of a UTC instant, in Luxembourg time (S/W offsets per the EU rule). */
export interface LocalTime {
  /** Days since 1970-01-01 in local time: the key of the day plan. */
  readonly dayNumber: number;
  /** Minutes since local midnight, fractional. On DST days the local clock jumps, as the meter's does. */
  readonly minuteOfDay: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly dayOfWeek: number;
  /** 0 = 1 January. */
  readonly dayOfYear: number;
}

export function localTime(utcMs: number): LocalTime {
  const local = utcMs + luxembourgOffsetMinutes(utcMs) * 60_000;
  const dayNumber = Math.floor(local / DAY_MS);
  const d = new Date(local);
  return {
    dayNumber,
    minuteOfDay: (local - dayNumber * DAY_MS) / 60_000,
    // 1970-01-01 was a Thursday.
    dayOfWeek: (((dayNumber + 4) % 7) + 7) % 7,
    dayOfYear: Math.floor((local - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS),
  };
}

/** A window of the day in local minutes. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

export interface DayPlan {
  readonly weekend: boolean;
  readonly wake: number;
  readonly standbyW: number;
  readonly fridgeOffset: number;
  readonly lunch: Window | null;
  readonly dinner: Window;
  readonly oven: boolean;
  readonly evening: Window;
  readonly eveningW: number;
  readonly washing: Window | null;
  readonly dishwasher: Window | null;
  /** Electric car charging on L1 (three-phase profile). */
  readonly ev: Window | null;
  /** Daily mean outdoor temperature, °C (drives gas heating and the heat pump). */
  readonly meanTempC: number;
  /** 0 (overcast) … 1 (clear): the sky the PV array sees; volatility makes a mixed day flicker. */
  readonly clearness: number;
  readonly cloudVolatility: number;
  /** Per-phase grid voltage offsets of the day, V. */
  readonly voltageOffset: readonly [number, number, number];
}

function window(rng: Prng, earliest: number, latest: number, minLen: number, maxLen: number): Window {
  const start = rng.uniform(earliest, latest);
  return { start, end: start + rng.uniform(minLen, maxLen) };
}

/** Seasonal mean temperature for Luxembourg: about 1 °C mid-January, 18 °C mid-July. */
export function seasonalTempC(dayOfYear: number): number {
  return 9.5 - 8.5 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365);
}

export function dayPlan(seed: number, t: LocalTime): DayPlan {
  const rng = new Prng(mixSeed(seed, 3, t.dayNumber));
  const weekend = t.dayOfWeek === 0 || t.dayOfWeek === 6;
  const wake = rng.uniform(360, 450) + (weekend ? 90 : 0);
  const summer = (1 - Math.cos((2 * Math.PI * (t.dayOfYear - 15)) / 365)) / 2;
  const sky = rng.next();
  // Sunny days are more frequent in summer; three kinds of sky: clear, mixed (flickering), overcast.
  const clear = sky < 0.2 + 0.35 * summer;
  const overcast = !clear && sky > 0.7 - 0.1 * summer;
  const dinner = window(rng, 1065, 1155, 40, 80);
  const evening = window(rng, 1080, 1140, 240, 330);
  const washingWindow = window(rng, weekend ? 540 : 1050, weekend ? 1080 : 1200, 80, 90);
  const dishWindow = window(rng, 1170, 1290, 80, 90);
  const evWindow = window(rng, 1050, 1200, 60, 240);
  return {
    weekend,
    wake,
    standbyW: rng.uniform(120, 220),
    fridgeOffset: rng.uniform(0, 45),
    lunch: rng.chance(weekend ? 0.85 : 0.35) ? window(rng, 690, 750, 30, 60) : null,
    dinner: rng.chance(0.92) ? dinner : { start: dinner.start, end: dinner.start + 10 },
    oven: rng.chance(weekend ? 0.5 : 0.2),
    evening,
    eveningW: rng.uniform(180, 420),
    washing: rng.chance(weekend ? 0.6 : 0.3) ? washingWindow : null,
    dishwasher: rng.chance(0.6) ? dishWindow : null,
    ev: rng.chance(weekend ? 0.3 : 0.55) ? evWindow : null,
    meanTempC: seasonalTempC(t.dayOfYear) + rng.normal(0, 3),
    clearness: clear ? rng.uniform(0.9, 1) : overcast ? rng.uniform(0.1, 0.3) : rng.uniform(0.45, 0.85),
    cloudVolatility: clear ? 0.01 : overcast ? 0.03 : 0.15,
    voltageOffset: [rng.normal(0, 1.5), rng.normal(0, 1.5), rng.normal(0, 1.5)],
  };
}

/** True when local minute `m` is inside `w`. */
export function inWindow(w: Window | null, m: number): boolean {
  return w !== null && m >= w.start && m < w.end;
}
