/**
 * The notifier's statistics as gauges, one series per meter, period (day, week, month) and window (current,
 * previous). Grafana's daily, weekly and monthly panels read these, so they show Luxembourg calendar periods
 * (23- and 25-hour days included) with exactly the notifier's numbers instead of `increase()` over UTC days.
 *
 * One row of STATISTICS_FIELDS maps one field of `PeriodStatistics` (packages/contracts) to one family; a new
 * statistics field needs a row here and a family in catalogue.ts, nothing else.
 */
import type { PeriodStatistics, Statistics } from "@smarty/contracts";
import { type FamilySpec, STATISTICS_FAMILIES } from "../catalogue.js";
import { SnapshotMetric, toBaseUnit } from "../snapshot-metric.js";
import type { StatisticsCache } from "../statistics-cache.js";

const KWH = 3.6e6;
const KW = 1000;
const seconds = (iso: string) => Date.parse(iso) / 1000;
/** Money families are in EUR; a tariff in another currency has no series rather than a mislabelled one. */
const euros = (p: PeriodStatistics, pick: (c: NonNullable<PeriodStatistics["cost"]>) => number) =>
  p.cost && p.cost.currency.toUpperCase() === "EUR" ? pick(p.cost) : null;

export interface StatisticsField {
  readonly family: FamilySpec;
  /** The value in the family's base unit; null or undefined: no sample. */
  readonly value: (p: PeriodStatistics) => number | null | undefined;
}

export const STATISTICS_FIELDS: readonly StatisticsField[] = [
  { family: STATISTICS_FAMILIES.energyImported, value: (p) => scaled(p.energy_import_kwh, KWH) },
  { family: STATISTICS_FAMILIES.energyExported, value: (p) => scaled(p.energy_export_kwh, KWH) },
  { family: STATISTICS_FAMILIES.peakImport, value: (p) => scaled(p.peak_15min_import_kw, KW) },
  { family: STATISTICS_FAMILIES.powerClassExcess, value: (p) => scaled(p.power_class_excess_kwh, KWH) },
  { family: STATISTICS_FAMILIES.cost, value: (p) => euros(p, (c) => c.total) },
  { family: STATISTICS_FAMILIES.exportCredit, value: (p) => euros(p, (c) => c.export_credit) },
  { family: STATISTICS_FAMILIES.baseload, value: (p) => p.baseload_w },
  { family: STATISTICS_FAMILIES.start, value: (p) => seconds(p.start) },
  { family: STATISTICS_FAMILIES.end, value: (p) => seconds(p.end) },
];

function scaled(value: number | null | undefined, scale: number): number | null {
  return value === null || value === undefined ? null : toBaseUnit(value, scale);
}

/** The periods of one statistics message with their labels, current first. */
function* periods(s: Statistics): Generator<[window: "current" | "previous", PeriodStatistics]> {
  for (const kind of ["day", "week", "month"] as const) {
    yield ["current", s.current[kind]];
    const previous = s.previous[kind];
    if (previous) yield ["previous", previous];
  }
}

export function statisticsMetrics(cache: StatisticsCache, fields = STATISTICS_FIELDS): SnapshotMetric[] {
  return fields.map(
    (field) =>
      new SnapshotMetric(field.family, (sink) => {
        for (const s of cache.all()) {
          for (const [window, p] of periods(s)) {
            const v = field.value(p);
            if (v !== null && v !== undefined) sink({ meter: s.meter_id, period: p.period, window }, v);
          }
        }
      }),
  );
}
