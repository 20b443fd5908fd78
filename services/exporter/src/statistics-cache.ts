/**
 * What the exporter keeps of the notifier's statistics (`<base>/<meter_id>/statistics`): the baseload of each
 * meter's last closed day, for `smarty_baseload_watts`. A closed day's value is final, so it is a plain gauge that
 * changes once a day; the running day's baseload moves with every quarter hour and is left to the display.
 */
import type { Statistics } from "@smarty/contracts";

export class StatisticsCache {
  private readonly baseload = new Map<string, number>();

  put(s: Statistics): void {
    const w = s.previous.day?.baseload_w;
    if (typeof w === "number" && Number.isFinite(w)) this.baseload.set(s.meter_id, w);
    else this.baseload.delete(s.meter_id);
  }

  /** The statistics topic of a meter was emptied. */
  remove(meterId: string): void {
    this.baseload.delete(meterId);
  }

  /** `[meter, W]` of every meter with a baseload for its last closed day. */
  lastDayBaseloads(): [string, number][] {
    return [...this.baseload.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }
}
