/**
 * What flows through the meter at one instant: per-phase active and reactive load of the household's appliances,
 * PV production and gas flow. Appliances sit on one phase (or all three), so phases are unbalanced the way real
 * single-phase loads make them. Thermostatic appliances (fridge, hob, oven, heat pump) cycle on a fixed period,
 * computed from the clock rather than kept as state, so the curve does not depend on the frame interval.
 */
import { type DayPlan, inWindow, type LocalTime, type Window } from "./day-plan.js";
import { clearSkyPvFraction } from "./solar.js";

export type Profile = "household" | "pv" | "three-phase";
export const PROFILES: readonly Profile[] = ["household", "pv", "three-phase"];

export interface PhaseLoad {
  /** Active power drawn per phase, W (≥ 0). */
  readonly p: [number, number, number];
  /** Reactive power drawn per phase, var (inductive loads positive). */
  readonly q: [number, number, number];
}

/** Fixed per-meter facts drawn once from the seed. */
export interface Installation {
  readonly profile: Profile;
  /** Peak PV power, W (0 without PV). */
  readonly pvPeakW: number;
  /** Gas heating (household, pv) or only hot water (three-phase, which has a heat pump). */
  readonly gasHeating: boolean;
}

/** Adds `w` watts at tan φ `tanPhi` on `phase` (0–2) or spread over all three. */
function add(load: PhaseLoad, phase: 0 | 1 | 2 | "all", w: number, tanPhi: number): void {
  if (w <= 0) return;
  if (phase === "all") {
    for (const i of [0, 1, 2] as const) add(load, i, w / 3, tanPhi);
    return;
  }
  load.p[phase] += w;
  load.q[phase] += w * tanPhi;
}

/** On/off thermostat: on for `duty` of every `periodMin` minutes, shifted by `offset`. */
function cycling(minute: number, periodMin: number, duty: number, offset = 0): boolean {
  const pos = (((minute + offset) % periodMin) + periodMin) % periodMin;
  return pos < periodMin * duty;
}

function since(w: Window | null, m: number): number {
  return w === null ? -1 : m - w.start;
}

/** Outdoor temperature: the day's mean plus a diurnal swing peaking mid-afternoon. */
export function outdoorTempC(plan: DayPlan, minute: number): number {
  return plan.meanTempC + 4 * Math.cos((2 * Math.PI * (minute - 900)) / 1440);
}

/** Household appliances (every profile). */
function household(load: PhaseLoad, plan: DayPlan, m: number, dark: boolean): void {
  add(load, 0, plan.standbyW * 0.4, 0.3);
  add(load, 1, plan.standbyW * 0.35, 0.3);
  add(load, 2, plan.standbyW * 0.25, 0.3);
  if (cycling(m, 45, 0.33, plan.fridgeOffset)) add(load, 0, 110, 0.75);
  if (cycling(m, 60, 0.3, plan.fridgeOffset * 1.7)) add(load, 1, 90, 0.75);
  // Morning: kettle, coffee, lights when it is still dark.
  const wake = m - plan.wake;
  if (wake >= 0 && wake < 90) {
    if (dark) add(load, 2, 150, 0.2);
    if (wake >= 10 && wake < 14) add(load, 1, 2000, 0);
    if (wake >= 20 && wake < 23) add(load, 0, 1100, 0);
  }
  // Cooking peaks: two hob zones with thermostat cycling, the oven on the third phase.
  for (const meal of [plan.lunch, plan.dinner]) {
    if (!inWindow(meal, m)) continue;
    if (cycling(m, 1.5, 0.6)) add(load, 0, 1800, 0);
    if (cycling(m, 2, 0.5, 0.7)) add(load, 1, 1200, 0);
    if (meal === plan.dinner && plan.oven && cycling(m, 3, 0.45)) add(load, 2, 2200, 0);
  }
  if (inWindow(plan.evening, m)) add(load, 2, plan.eveningW + (dark ? 120 : 0), 0.2);
  // Washing machine: heating first, then the motor, spinning at the end.
  const wash = since(plan.washing, m);
  if (wash >= 0 && wash < 90) add(load, 2, wash < 18 ? 2000 : wash > 78 ? 500 : 250, wash < 18 ? 0 : 0.6);
  // Dishwasher: two heating phases around a long wash.
  const dish = since(plan.dishwasher, m);
  if (dish >= 0 && dish < 85) add(load, 0, dish < 20 || (dish >= 55 && dish < 70) ? 1900 : 120, dish < 20 ? 0 : 0.5);
}

/** Heat pump on all phases, sized by the outdoor temperature, and a single-phase car charger on L1. */
function threePhaseExtras(load: PhaseLoad, plan: DayPlan, m: number): void {
  // Heating season only: a day whose mean stays above 15 °C needs no space heating (degree-day base 15 °C).
  const demand = Math.max(0, Math.min(1, (15 - plan.meanTempC) / 20 + (15 - outdoorTempC(plan, m)) / 60));
  if (demand > 0 && cycling(m, 50, 0.25 + 0.75 * demand, plan.fridgeOffset))
    add(load, "all", 1800 + 1500 * demand, 0.45);
  if (m >= 780 && m < 840) add(load, "all", 1800, 0.45); // hot water cycle
  // 32 A single-phase charging: the classic unbalanced load.
  if (inWindow(plan.ev, m)) add(load, 0, 7360, 0.05);
}

export interface Flows {
  readonly load: PhaseLoad;
  /** PV production before clouds, W (all three phases together). */
  readonly pvClearW: number;
  /** Gas flow, litres per hour. */
  readonly gasLph: number;
}

/** Everything that flows at UTC instant `t`, before noise and clouds. */
export function flowsAt(inst: Installation, plan: DayPlan, local: LocalTime, t: number): Flows {
  const m = local.minuteOfDay;
  const pvFraction = clearSkyPvFraction(t);
  const dark = pvFraction < 0.03;
  const load: PhaseLoad = { p: [0, 0, 0], q: [0, 0, 0] };
  household(load, plan, m, dark);
  if (inst.profile === "three-phase") threePhaseExtras(load, plan, m);
  return { load, pvClearW: inst.pvPeakW * pvFraction, gasLph: gasFlow(inst, plan, m) };
}

/** Gas: space heating with night set-back and morning/evening boosts, plus hot water for showers and dishes. */
function gasFlow(inst: Installation, plan: DayPlan, m: number): number {
  let lph = 0;
  if (inst.gasHeating) {
    const hour = m / 60;
    const shape = hour < 5 ? 0.5 : hour < 9 ? 1.5 : hour < 17 ? 0.8 : hour < 22 ? 1.25 : 0.6;
    // Degree-day heating with base 15 °C on the day's mean; the hour's temperature only shapes it.
    const degrees = Math.max(0, 15 - plan.meanTempC) + Math.max(0, 15 - outdoorTempC(plan, m)) / 4;
    lph += plan.meanTempC < 15 ? degrees * 90 * shape : 0;
  }
  const wake = m - plan.wake;
  if (wake >= 15 && wake < 27) lph += 1800;
  if (inWindow(plan.dinner, m)) lph += 150;
  return lph;
}
