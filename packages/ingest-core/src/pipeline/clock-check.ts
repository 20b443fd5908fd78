/**
 * Meter time against the clocks this host has. A reading whose telegram time (0-0:1.0.0, DSMR 5.0.2 §6.12) is far
 * from any trustworthy reference is suspect: it is counted, never published, and never moves the freshness state,
 * because one accepted reading from the future would make every real one "not newer" until it is passed.
 *
 * References, and when each one vouches for a reading (docs/security.md, "Meter time"):
 * - the last accepted reading of the meter, with the monotonic time it was accepted at: meter time may advance by at
 *   most the monotonic time elapsed since, plus the tolerance. Needs no correct wall clock;
 * - the wall clock, while it looks synced (not earlier than WALL_CLOCK_FLOOR, nor than the meter's last accepted
 *   time minus the tolerance): meter time within the tolerance of it. A Raspberry Pi without RTC boots in the past
 *   until NTP sets the time; while it looks unsynced it is not consulted, and that is logged once;
 * - with neither a live anchor nor any reference left (first reading since start, wall clock unsynced), nothing can
 *   be checked and the reading is accepted; the freshness guard still rejects anything older than a restored reading;
 * - before any reading of the meter was accepted in this process, a steady run of readings (each advancing by no
 *   more than the monotonic time elapsed plus the tolerance) outvotes a wall clock that looks synced but is wrong
 *   (fake-hwclock after a long power cut, no network). Once the meter is anchored, only the anchor and the wall clock
 *   count, so a run of forged readings cannot take over.
 */
import type { Clock, Logger } from "@smarty/service-kit";

/** A wall clock earlier than this is certainly unsynced (no reading of this software can be older than its release). */
export const WALL_CLOCK_FLOOR = Date.UTC(2026, 0, 1);

/** Consecutive steady readings that outvote a wall clock that disagrees, before the meter is anchored. */
export const STEADY_RUN = 3;

export type ClockVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: "ahead_of_last_reading" | "far_from_wall_clock";
      /** Meter time minus the reference it was judged against, ms. */
      readonly offsetMs: number;
    };

export interface ClockCheckOptions {
  /** Largest distance from a reference; 0 turns the check off. */
  readonly toleranceMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

interface Anchor {
  readonly time: number;
  /** Monotonic time of the acceptance; undefined for a reading restored from the broker. */
  readonly mono?: number;
}

interface Run {
  readonly time: number;
  readonly mono: number;
  readonly count: number;
}

const OK: ClockVerdict = { ok: true };

export class ClockCheck {
  private readonly anchors = new Map<string, Anchor>();
  private readonly runs = new Map<string, Run>();
  private readonly log: Logger;
  private wallSynced: boolean | undefined;
  private warnedSteady = false;

  constructor(private readonly options: ClockCheckOptions) {
    this.log = options.logger.child({ component: "clock-check" });
  }

  get enabled(): boolean {
    return this.options.toleranceMs > 0;
  }

  /** The last published reading of a meter, from before a restart: a reference without monotonic time. */
  restore(meterId: string, timeMs: number): void {
    const current = this.anchors.get(meterId);
    if (current === undefined || current.time < timeMs) this.anchors.set(meterId, { time: timeMs });
  }

  /** Judges a reading's meter time; `accept` it when it is then published. */
  check(meterId: string, timeMs: number): ClockVerdict {
    if (!this.enabled) return OK;
    const tolerance = this.options.toleranceMs;
    const mono = this.options.clock.monotonic();
    const wall = this.options.clock.now();
    const anchor = this.anchors.get(meterId);
    const wallSynced = this.wallLooksSynced(wall, anchor);
    let verdict: ClockVerdict | undefined;
    if (anchor?.mono !== undefined) {
      const offset = timeMs - (anchor.time + (mono - anchor.mono));
      if (offset <= tolerance) return OK;
      verdict = { ok: false, reason: "ahead_of_last_reading", offsetMs: offset };
    }
    if (wallSynced) {
      if (Math.abs(timeMs - wall) <= tolerance) return OK;
      verdict ??= { ok: false, reason: "far_from_wall_clock", offsetMs: timeMs - wall };
    }
    if (verdict === undefined) return OK;
    if (anchor?.mono === undefined && timeMs >= WALL_CLOCK_FLOOR && this.steady(meterId, timeMs, mono)) {
      if (!this.warnedSteady) {
        this.warnedSteady = true;
        this.log.warn(
          { meter_id: meterId, offset_ms: timeMs - wall, wall_clock: new Date(wall).toISOString() },
          "meter time disagrees with the wall clock but advances steadily: wall clock probably wrong",
        );
      }
      return OK;
    }
    return verdict;
  }

  accept(meterId: string, timeMs: number): void {
    this.anchors.set(meterId, { time: timeMs, mono: this.options.clock.monotonic() });
    this.runs.delete(meterId);
  }

  /** Counts a run of readings that advance consistently with each other; true once it is long enough. */
  private steady(meterId: string, timeMs: number, mono: number): boolean {
    const run = this.runs.get(meterId);
    const follows =
      run !== undefined && timeMs > run.time && timeMs - run.time <= mono - run.mono + this.options.toleranceMs;
    const next = { time: timeMs, mono, count: follows ? run.count + 1 : 1 };
    this.runs.set(meterId, next);
    return next.count >= STEADY_RUN;
  }

  private wallLooksSynced(wall: number, anchor: Anchor | undefined): boolean {
    const synced = wall >= WALL_CLOCK_FLOOR && (anchor === undefined || wall >= anchor.time - this.options.toleranceMs);
    if (synced !== this.wallSynced) {
      const fields = { wall_clock: new Date(wall).toISOString(), floor: new Date(WALL_CLOCK_FLOOR).toISOString() };
      if (!synced) {
        this.log.warn(fields, "wall clock looks unsynced: meter time is checked against the last accepted reading");
      } else if (this.wallSynced === false) {
        this.log.info(fields, "wall clock looks synced again");
      }
      this.wallSynced = synced;
    }
    return synced;
  }
}
