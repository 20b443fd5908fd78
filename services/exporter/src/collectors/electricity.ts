/**
 * Electricity values: one family per metric name of the OBIS registry, one sample per fresh meter and registry row.
 * Registers (kind `energy`, `counter`) are exported as counters with their absolute value; scale and constant labels
 * (`phase`, `tariff`) come from the row's MetricSpec.
 */
import { type Reading, readingValue } from "@smarty/p1";
import { type RegistryRow, registryFamilies } from "../catalogue.js";
import type { ReadingCache } from "../reading-cache.js";
import { SnapshotMetric, toBaseUnit } from "../snapshot-metric.js";

/** The value of one registry row in the metric's base unit, or undefined when the reading lacks it. */
export function registryValue(reading: Reading, row: RegistryRow): number | undefined {
  let raw = readingValue(reading, row.def.key);
  // Multi-value lines such as 1-1:31.4.0(040*A)(-040*A) are arrays in the reading (Lux spec v1.1.3 §4).
  if (row.spec.valueIndex !== undefined) raw = Array.isArray(raw) ? raw[row.spec.valueIndex] : undefined;
  if (typeof raw !== "number" || !Number.isFinite(raw)) return undefined;
  return toBaseUnit(row.spec.absolute ? Math.abs(raw) : raw, row.spec.scale);
}

export function electricityMetrics(cache: ReadingCache): SnapshotMetric[] {
  return registryFamilies().map(
    (family) =>
      new SnapshotMetric(family, (sink) => {
        for (const { reading } of cache.fresh()) {
          for (const row of family.rows) {
            const value = registryValue(reading, row);
            if (value !== undefined) sink({ meter: reading.meter_id, ...row.spec.labels }, value);
          }
        }
      }),
  );
}
