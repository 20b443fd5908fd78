/**
 * Injectable time. Components take a Clock instead of calling Date.now()/setTimeout, so tests drive time
 * (timeouts, staleness, debounce, back-off) without sleeping.
 */

export type TimerHandle = { readonly __timer: unique symbol } | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Wall time, ms since the epoch: may jump (NTP, a Pi without RTC that boots in the past). */
  now(): number;
  /** Monotonic ms from an arbitrary origin: never jumps, only for durations. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    t.unref?.();
    return t;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

interface ManualTimer {
  at: number;
  fn: () => void;
  every?: number;
  id: number;
}

/** A clock that only moves when told: `advance(ms)` runs the timers that fall due, in order. */
export class ManualClock implements Clock {
  private t: number;
  private mono = 0;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((x) => x.id !== (handle as unknown as number));
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ at: this.t + Math.max(1, ms), fn, every: Math.max(1, ms), id });
    return id as unknown as TimerHandle;
  }

  clearInterval(handle: TimerHandle): void {
    this.clearTimeout(handle);
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.mono += Math.max(0, due.at - this.t);
      this.t = due.at;
      if (due.every) due.at += due.every;
      else this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.mono += target - this.t;
    this.t = target;
  }

  /** Sets the wall time (for clock jumps); no timers fire, monotonic time does not move. */
  set(ms: number): void {
    this.t = ms;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }
}
