/**
 * Statistics payloads as the notifier publishes them on `<base>/<meter_id>/statistics` (packages/contracts
 * `statisticsSchema`), with only the fields a test cares about set.
 */
import type { PeriodKind, PeriodStatistics, Statistics } from "@smarty/contracts";

export type PeriodValues = Partial<Omit<PeriodStatistics, "period">>;

const NULL_PHASES = { l1: null, l2: null, l3: null };

export function period(kind: PeriodKind, v: PeriodValues = {}): PeriodStatistics {
  return {
    period: kind,
    start: "2026-04-03T00:00:00+02:00",
    end: "2026-04-04T00:00:00+02:00",
    complete: false,
    energy_import_kwh: null,
    energy_export_kwh: null,
    peak_15min_import_kw: null,
    peak_15min_at: null,
    voltage_min_v: NULL_PHASES,
    voltage_max_v: NULL_PHASES,
    voltage_sags: null,
    voltage_swells: null,
    power_failures: null,
    power_class_excess_kwh: null,
    mbus: [],
    cost: null,
    readings: 0,
    ...v,
  };
}

export function statistics(meterId: string, day: PeriodValues, month: PeriodValues): Statistics {
  return {
    meter_id: meterId,
    updated_at: "2026-04-03T17:54:31+02:00",
    current: { day: period("day", day), week: period("week"), month: period("month", month) },
    previous: { day: null, week: null, month: null },
  };
}

/** A cost block of the notifier's tariff. */
export function cost(total: number, energy = total): PeriodStatistics["cost"] {
  return { currency: "EUR", energy, export_credit: 0, fixed: 0, power_class: 0, total };
}
