/**
 * Statistics per meter: folds readings into the Redis-backed state (meter-state.ts), keeps closed periods in the
 * history and answers the current statistics (current and previous day, week and month). Readings of one meter
 * are processed strictly one after another, so concurrent MQTT deliveries cannot interleave state updates.
 */
import type { PeriodKind, PeriodStatistics, Statistics } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { isoLocal, previousPeriodStart } from "../calendar.js";
import type { Tariff } from "../config-file.js";
import { finalizePeriod } from "./finalize.js";
import type { ClockVerdict, MeterClockGuard } from "./meter-clock.js";
import { type MeterState, newMeterState, PERIOD_KINDS, type QuarterProgress, step } from "./meter-state.js";
import { type Sample, sampleFromReading } from "./registers.js";
import type { StatisticsStore } from "./statistics-store.js";

export interface StatisticsOptions {
  readonly tariff?: Tariff | undefined;
  readonly maxGapMs: number;
  readonly minPhaseVoltageV: number;
  /**
   * Meter time between two saves of a meter's running state when nothing closed (0: after every reading). A save
   * is an append to Redis' AOF, which an SD card has to write: every 10 s it is the stack's largest writer. A period
   * or quarter hour that closes is saved at once, and `flush()` saves the rest on a clean stop, so a power cut loses
   * at most this much of the running minima and maxima; energy, cost and peaks come from registers and quarter
   * hours and stay exact.
   */
  readonly saveIntervalMs?: number;
  /** Judges meter time against the anchor and the wall clock (meter-clock.ts); none: every time is believed. */
  readonly meterClock?: MeterClockGuard | undefined;
}

export interface ProcessResult {
  readonly accepted: boolean;
  readonly sample: Sample;
  /** Periods that this reading closed, finalized. */
  readonly closed: readonly PeriodStatistics[];
  /** Set when the meter time is not believable: the reading changed nothing. */
  readonly suspect?: Extract<ClockVerdict, { ok: false }>;
  /** Set when a steady meter time became the new anchor although the clocks could not confirm it. */
  readonly reanchored?: boolean;
}

export class StatisticsEngine {
  private readonly states = new Map<string, MeterState>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** The last closed period per meter and kind: the only one `statistics()` reads, so the map stays bounded. */
  private readonly previous = new Map<string, PeriodStatistics>();
  /** Meter time of each meter's last save; a meter with unsaved readings is in `unsaved`. */
  private readonly savedAt = new Map<string, number>();
  private readonly unsaved = new Set<string>();

  constructor(
    readonly store: StatisticsStore,
    private readonly options: StatisticsOptions,
  ) {}

  get tariff(): Tariff | undefined {
    return this.options.tariff;
  }

  /** Folds a reading into its meter's statistics. */
  process(meterId: string, reading: Reading, receivedAt: number): Promise<ProcessResult> {
    return this.serial(meterId, async () => {
      const state = await this.state(meterId);
      const sample = sampleFromReading(reading, receivedAt, this.options.minPhaseVoltageV);
      const verdict = this.options.meterClock?.check(meterId, sample.t, state.last?.t ?? null);
      if (verdict && !verdict.ok) return { accepted: false, sample, closed: [], suspect: verdict };
      const r = step(state, sample, {
        maxGapMs: this.options.maxGapMs,
        classKw: this.options.tariff?.power_class?.kw,
      });
      if (!r.accepted) return { accepted: false, sample, closed: [] };
      const closed = r.closedPeriods.map((acc) => finalizePeriod(acc, this.options.tariff, true));
      const interval = this.options.saveIntervalMs ?? 0;
      const due = sample.t - (this.savedAt.get(meterId) ?? Number.NEGATIVE_INFINITY) >= interval;
      if (closed.length > 0 || r.closedQuarters.length > 0 || due) {
        await this.store.save(state, closed, r.closedQuarters);
        this.savedAt.set(meterId, sample.t);
        this.unsaved.delete(meterId);
      } else {
        this.unsaved.add(meterId);
      }
      this.options.meterClock?.accepted(meterId, sample.t);
      for (const p of closed) this.previous.set(`${meterId}/${p.period}`, p);
      return { accepted: true, sample, closed, ...(verdict?.ok && verdict.reanchored ? { reanchored: true } : {}) };
    });
  }

  /** Saves every meter's running state that has readings not yet in Redis (on a clean stop). */
  async flush(): Promise<void> {
    for (const meterId of [...this.unsaved]) {
      await this.serial(meterId, async () => {
        const state = this.states.get(meterId);
        if (!state || !this.unsaved.has(meterId)) return;
        await this.store.save(state, [], []);
        if (state.last) this.savedAt.set(meterId, state.last.t);
        this.unsaved.delete(meterId);
      });
    }
  }

  /** Meters whose running state has readings not yet saved. */
  get unsavedMeters(): number {
    return this.unsaved.size;
  }

  /** Current and previous periods of a meter as published; undefined before its first reading. */
  async statistics(meterId: string, now: number): Promise<Statistics | undefined> {
    const state = await this.state(meterId);
    const day = state.periods.day;
    const week = state.periods.week;
    const month = state.periods.month;
    if (!day || !week || !month) return undefined;
    const t = this.options.tariff;
    return {
      meter_id: meterId,
      updated_at: isoLocal(now),
      current: {
        day: finalizePeriod(day, t, false),
        week: finalizePeriod(week, t, false),
        month: finalizePeriod(month, t, false),
      },
      previous: {
        day: await this.previousOf(meterId, "day", day.start),
        week: await this.previousOf(meterId, "week", week.start),
        month: await this.previousOf(meterId, "month", month.start),
      },
    };
  }

  /** The period of `kind` starting at `start`: closed (from the history) or still running. */
  async period(meterId: string, kind: PeriodKind, start: number): Promise<PeriodStatistics | undefined> {
    const acc = (await this.state(meterId)).periods[kind];
    if (acc && acc.start === start) return finalizePeriod(acc, this.options.tariff, false);
    return this.store.history(meterId, kind, start);
  }

  /** The quarter hour in progress, for the 15-minute alert rules. */
  quarterProgress(meterId: string): QuarterProgress | undefined {
    return this.states.get(meterId)?.quarter ?? undefined;
  }

  /** Meters with statistics in Redis (also those not seen since the start). */
  meters(): Promise<string[]> {
    return this.store.meters();
  }

  private async previousOf(meterId: string, kind: PeriodKind, currentStart: number): Promise<PeriodStatistics | null> {
    const start = previousPeriodStart(kind, currentStart);
    const key = `${meterId}/${kind}`;
    const cached = this.previous.get(key);
    if (cached && Date.parse(cached.start) === start) return cached;
    const p = (await this.store.history(meterId, kind, start)) ?? null;
    if (p) this.previous.set(key, p);
    return p;
  }

  /** Closed periods held in memory (bounded by meters × 3). */
  get cachedPeriods(): number {
    return this.previous.size;
  }

  private async state(meterId: string): Promise<MeterState> {
    let s = this.states.get(meterId);
    if (!s) {
      s = (await this.store.loadState(meterId)) ?? newMeterState(meterId);
      this.states.set(meterId, s);
    }
    return s;
  }

  private serial<T>(meterId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(meterId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.queues.set(
      meterId,
      next.catch(() => undefined),
    );
    return next;
  }
}

export { PERIOD_KINDS };
