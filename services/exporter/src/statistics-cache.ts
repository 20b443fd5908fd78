/**
 * The notifier's latest statistics per meter (retained on `<base>/<meter_id>/statistics`). Unlike readings they do
 * not go stale: a closed day stays what it was, and the notifier republishes the running periods as readings
 * arrive. An empty retained payload (the notifier forgot the meter) removes the meter.
 */
import type { Statistics } from "@smarty/contracts";

export class StatisticsCache {
  private readonly byMeter = new Map<string, Statistics>();

  put(meterId: string, statistics: Statistics): void {
    this.byMeter.set(meterId, statistics);
  }

  remove(meterId: string): boolean {
    return this.byMeter.delete(meterId);
  }

  /** Every meter's statistics; the meter label is the statistics' own meter_id. */
  all(): IterableIterator<Statistics> {
    return this.byMeter.values();
  }

  get size(): number {
    return this.byMeter.size;
  }
}
