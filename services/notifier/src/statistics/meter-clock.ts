/**
 * Is a reading's meter time believable? One reading dated 2099 (a meter clock glitch, or a forged plaintext frame)
 * would otherwise move the statistics of its meter 73 years forward, and every real reading after it would be
 * "older than the last one" for good, since the state is persisted. Such a reading is *suspect*: it is counted,
 * alerted and never folded into statistics or freshness.
 *
 * The rule (ingest applies the same one before publishing):
 *   - anchor on the last accepted reading of the meter: its meter time may advance by at most the monotonic time
 *     elapsed since that reading was accepted plus the tolerance. This needs no correct wall clock. The anchor is
 *     the statistics state's last sample, kept in Redis, so it survives a restart; after a restart the elapsed time
 *     counts from the process start (a lower bound of the real one);
 *   - the wall clock is used only when it looks synced: not earlier than a build-time floor and not earlier than
 *     the anchor minus the tolerance (a Raspberry Pi has no RTC and boots with an old time until NTP answers).
 *     Then a meter time up to the tolerance ahead of the wall clock is accepted too (after a notifier restart the
 *     meter has moved on by the downtime);
 *   - a reading is accepted when either bound allows it, or when there is nothing to judge by (no anchor, wall
 *     clock not synced). Meter times in the past are never suspect: ingest replays its broker-outage queue in
 *     order, and statistics ignore a reading not newer than the last one anyway;
 *   - when the wall clock cannot be used and the meter time is steady but ahead of the anchor (the host was off
 *     longer than the tolerance and NTP is unreachable), a run of suspect readings that advance with the monotonic
 *     clock for at least the tolerance becomes the new anchor. A single forged frame never does, and neither does
 *     anything while a synced wall clock contradicts it.
 */

/** A wall clock before this cannot be synced: no smarty release predates 2025. */
export const WALL_CLOCK_FLOOR = Date.UTC(2025, 0, 1);

export interface MeterClockOptions {
  /** How far meter time may run ahead of what the clocks allow; 0 turns the check off. */
  readonly toleranceMs: number;
  readonly wallNow: () => number;
  /** Monotonic milliseconds (performance.now()); unaffected by the wall clock being set. */
  readonly monotonicNow: () => number;
}

export type ClockVerdict =
  | { readonly ok: true; readonly reanchored?: true }
  | {
      readonly ok: false;
      /** How far the meter time is ahead of the latest time the clocks allow. */
      readonly aheadMs: number;
      /** Whether the wall clock looked synced (then the reading is ahead of it). */
      readonly wallSynced: boolean;
    };

interface Mark {
  /** Meter time (ms). */
  t: number;
  /** Monotonic time when seen. */
  mono: number;
}

interface Candidate extends Mark {
  /** Monotonic time of the first reading of the run. */
  readonly since: number;
}

export class MeterClockGuard {
  private readonly startedAt: number;
  /** When the anchor of each meter was accepted (monotonic); absent after a restart. */
  private readonly anchors = new Map<string, Mark>();
  private readonly candidates = new Map<string, Candidate>();

  constructor(private readonly o: MeterClockOptions) {
    this.startedAt = o.monotonicNow();
  }

  /** Judges meter time `t` of `meterId`; `anchor` is the meter time of its last accepted reading (from Redis). */
  check(meterId: string, t: number, anchor: number | null): ClockVerdict {
    const tol = this.o.toleranceMs;
    if (tol <= 0) return { ok: true };
    const mono = this.o.monotonicNow();
    const wall = this.o.wallNow();
    const wallSynced = wall >= WALL_CLOCK_FLOOR && (anchor === null || wall >= anchor - tol);
    const limits: number[] = [];
    if (anchor !== null) {
      const mark = this.anchors.get(meterId);
      const acceptedAt = mark && mark.t === anchor ? mark.mono : this.startedAt;
      limits.push(anchor + (mono - acceptedAt) + tol);
    }
    if (wallSynced) limits.push(wall + tol);
    if (limits.length === 0) return { ok: true };
    const limit = Math.max(...limits);
    if (t <= limit) {
      this.candidates.delete(meterId);
      return { ok: true };
    }
    if (!wallSynced && this.steady(meterId, t, mono)) {
      this.candidates.delete(meterId);
      return { ok: true, reanchored: true };
    }
    return { ok: false, aheadMs: t - limit, wallSynced };
  }

  /** Records that a reading with meter time `t` was folded into the statistics: the new anchor. */
  accepted(meterId: string, t: number): void {
    this.anchors.set(meterId, { t, mono: this.o.monotonicNow() });
  }

  /** Extends the run of suspect readings; true once it advanced with the monotonic clock for the tolerance. */
  private steady(meterId: string, t: number, mono: number): boolean {
    const c = this.candidates.get(meterId);
    if (c && t > c.t && t <= c.t + (mono - c.mono) + this.o.toleranceMs) {
      c.t = t;
      c.mono = mono;
      return mono - c.since >= this.o.toleranceMs;
    }
    this.candidates.set(meterId, { t, mono, since: mono });
    return false;
  }
}
