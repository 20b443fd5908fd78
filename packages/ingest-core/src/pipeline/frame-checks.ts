/**
 * Checks on authenticated frames and parsed readings, before anything is published.
 *
 * Frame counter (Luxmetering P1 spec v1.1.3 §3.3: the 4-byte invocation counter of the GCM IV, one step per frame,
 * per system title): a repeated or older counter is a replayed frame and is rejected (reusing a counter with the
 * same key is also what GCM forbids, NIST SP 800-38D §8); a jump forward means frames were missed; a step back larger
 * than the replay window, or a system title never seen before, means the meter was changed or reset.
 *
 * Telegram time: a reading that is not newer than the last one published for the same meter is not published, so
 * consumers never see time run backwards (plaintext meters have no frame counter, this is their replay check).
 */

/** One day of Smarty frames: a step back larger than this is a meter reset, not a replay. */
export const DEFAULT_REPLAY_WINDOW = 8640;

export type CounterVerdict =
  | { readonly kind: "first" }
  | { readonly kind: "next"; readonly missed: number }
  | { readonly kind: "replay"; readonly last: number }
  | { readonly kind: "meter_change"; readonly reason: "new_system_title" | "counter_reset"; readonly last?: number };

export interface FrameCounterOptions {
  readonly replayWindow?: number;
  /** System titles configured with their own key: expected on a shared bus, so not a meter change. */
  readonly knownTitles?: ReadonlySet<string>;
}

export class FrameCounterTracker {
  private readonly last = new Map<string, number>();
  /** System titles judged in this process (restored ones from other meters do not make a new title a change). */
  private readonly live = new Set<string>();
  private readonly window: number;

  constructor(private readonly options: FrameCounterOptions = {}) {
    this.window = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
  }

  /** Judges a frame; the counter is remembered unless the frame is a replay. */
  check(systemTitle: string, counter: number): CounterVerdict {
    const last = this.last.get(systemTitle);
    const change = this.live.size > 0 && !this.live.has(systemTitle) && !this.options.knownTitles?.has(systemTitle);
    this.live.add(systemTitle);
    if (last === undefined) {
      this.last.set(systemTitle, counter);
      return change ? { kind: "meter_change", reason: "new_system_title" } : { kind: "first" };
    }
    if (counter > last) {
      this.last.set(systemTitle, counter);
      return { kind: "next", missed: counter - last - 1 };
    }
    if (last - counter <= this.window) return { kind: "replay", last };
    this.last.set(systemTitle, counter);
    return { kind: "meter_change", reason: "counter_reset", last };
  }

  /** The last counter published before a restart (retained reading): older frames are replays from the start. */
  restore(systemTitle: string, counter: number): void {
    const last = this.last.get(systemTitle);
    if (last === undefined || counter > last) this.last.set(systemTitle, counter);
  }

  get systemTitles(): readonly string[] {
    return [...this.last.keys()];
  }
}

/** Per meter, the telegram time of the last published reading. */
export class FreshnessGuard {
  private readonly last = new Map<string, number>();

  /** True when `timeMs` is after the last accepted time of the meter (or the meter is new). */
  isNewer(meterId: string, timeMs: number): boolean {
    const last = this.last.get(meterId);
    return last === undefined || timeMs > last;
  }

  accept(meterId: string, timeMs: number): void {
    this.last.set(meterId, timeMs);
  }

  /** The time of the last reading published before a restart; never moves the state back. */
  restore(meterId: string, timeMs: number): void {
    if (this.isNewer(meterId, timeMs)) this.last.set(meterId, timeMs);
  }

  lastTime(meterId: string): number | undefined {
    return this.last.get(meterId);
  }
}
