/**
 * A clock that moves only when a test says so, for commands that wait (the doctor's listening and progress). The
 * CLI does not depend on service-kit, so this is the small part of its ManualClock that the commands use.
 */
interface Timer {
  at: number;
  every?: number;
  fn: () => void;
  id: number;
}

export class TestClock {
  private t: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 4, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number) {
    return this.add(fn, ms);
  }

  setInterval(fn: () => void, ms: number) {
    return this.add(fn, Math.max(1, ms), Math.max(1, ms));
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== (handle as number));
  }

  clearInterval(handle: unknown): void {
    this.clearTimeout(handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.t = due.at;
      if (due.every) due.at += due.every;
      else this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = target;
  }

  private add(fn: () => void, ms: number, every?: number) {
    const id = this.nextId++;
    this.timers.push({ at: this.t + Math.max(0, ms), fn, id, ...(every ? { every } : {}) });
    // biome-ignore lint/suspicious/noExplicitAny: the Clock's TimerHandle is an opaque brand
    return id as any;
  }
}
