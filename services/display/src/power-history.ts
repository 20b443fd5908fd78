/**
 * The power history behind the sparkline: a fixed-capacity ring of (arrival time, net power) samples covering the
 * last window (10 minutes). Memory is bounded twice: by the window, and by the capacity even if a meter (or a
 * replay) sends far faster than the Smarty's one telegram per 10 s.
 */

/** One sample: arrival time in ms since epoch and net power in W (import positive, export negative). */
export type PowerSample = readonly [t: number, w: number];

export const HISTORY_WINDOW_MS = 10 * 60_000;
/** One sample a second for ten minutes; DSMR 5 meters send every second, the Smarty every 10 s. */
export const HISTORY_CAPACITY = 600;

export class PowerHistory {
  private readonly t: Float64Array;
  private readonly w: Float64Array;
  /** Index of the oldest sample. */
  private head = 0;
  private count = 0;

  constructor(
    readonly capacity = HISTORY_CAPACITY,
    readonly windowMs = HISTORY_WINDOW_MS,
  ) {
    if (!(capacity >= 1)) throw new RangeError("capacity must be at least 1");
    this.t = new Float64Array(capacity);
    this.w = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a sample; a sample older than the newest one (clock jump back) restarts the history. */
  push(t: number, w: number): void {
    const newest = this.newest();
    if (newest && t < newest[0]) this.clear();
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
    const i = (this.head + this.count) % this.capacity;
    this.t[i] = t;
    this.w[i] = w;
    this.count++;
    this.prune(t);
  }

  /** Drops samples older than the window before `now`. */
  prune(now: number): void {
    const from = now - this.windowMs;
    while (this.count > 0 && (this.t[this.head] ?? 0) < from) {
      this.head = (this.head + 1) % this.capacity;
      this.count--;
    }
  }

  newest(): PowerSample | undefined {
    if (this.count === 0) return undefined;
    const i = (this.head + this.count - 1) % this.capacity;
    return [this.t[i] ?? 0, this.w[i] ?? 0];
  }

  /** The samples inside the window before `now`, oldest first. */
  samples(now: number): PowerSample[] {
    this.prune(now);
    const out: PowerSample[] = [];
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.capacity;
      out.push([this.t[i] ?? 0, this.w[i] ?? 0]);
    }
    return out;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }
}
