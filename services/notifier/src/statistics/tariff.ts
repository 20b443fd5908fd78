/**
 * Cost of a period from the configured tariff:
 *
 *   energy        = imported kWh × import price
 *   export_credit = exported kWh × export credit (subtracted from the total)
 *   fixed         = monthly fee shared pro rata over the days of each month the period covers
 *   power_class   = power-class excess kWh × excess price + the class's monthly fee, pro rata likewise
 *   total         = energy − export_credit + fixed + power_class
 *
 * The power-class excess follows the Luxembourg grid tariff (since 2025): in each aligned quarter hour the import
 * energy above `class kW × 0.25 h` is billed extra. weigu's SmartyReader (v1.7, `calculate_energy_and_power`)
 * integrates the instantaneous power above the class over its 10 s samples and sums them per quarter, day and
 * month at one price per kWh (`exceed_money_per_kWh`, 0.1139 EUR in its config.h). We take the quarter-hour
 * register increase instead, which is what the meter bills, and which survives gaps in the reading stream.
 */
import type { PeriodKind } from "@smarty/contracts";
import { dayStarts, daysInMonth, localTime } from "../calendar.js";
import type { Tariff } from "../config-file.js";

export interface Cost {
  readonly currency: string;
  readonly energy: number;
  readonly export_credit: number;
  readonly fixed: number;
  readonly power_class: number;
  readonly total: number;
}

const cents = (x: number) => Math.round(x * 100) / 100;

/** Share of a month's fixed fee falling in [start, end): one `1 / days in month` per local day. */
export function monthShare(start: number, end: number): number {
  let share = 0;
  for (const d of dayStarts(start, end)) {
    const t = localTime(d);
    share += 1 / daysInMonth(t.year, t.month);
  }
  return share;
}

export interface CostInput {
  readonly kind: PeriodKind;
  readonly start: number;
  readonly end: number;
  readonly importKwh: number | null;
  readonly exportKwh: number | null;
  readonly excessKwh: number | null;
}

/** Cost of one period; each part rounded to cents, the total from unrounded parts. */
export function periodCost(tariff: Tariff, p: CostInput): Cost {
  const share = p.kind === "month" ? 1 : monthShare(p.start, p.end);
  const energy = (p.importKwh ?? 0) * tariff.import_per_kwh;
  const exportCredit = (p.exportKwh ?? 0) * tariff.export_credit_per_kwh;
  const fixed = tariff.monthly_fee * share;
  const pc = tariff.power_class;
  const powerClass = pc ? (p.excessKwh ?? 0) * pc.excess_per_kwh + pc.monthly_fee * share : 0;
  return {
    currency: tariff.currency,
    energy: cents(energy),
    export_credit: cents(exportCredit),
    fixed: cents(fixed),
    power_class: cents(powerClass),
    total: cents(energy - exportCredit + fixed + powerClass),
  };
}
