/**
 * Redis persistence of statistics (keys under the configured prefix, default `smarty:notifier:`):
 *
 *   stats:<meter>                      JSON MeterState, rewritten after every reading
 *   history:<meter>:<kind>             hash: period start (ms) → closed PeriodStatistics JSON (trimmed)
 *   quarters:<meter>:<local day start> hash: quarter start (ms) → "import_kwh,export_kwh" (expires)
 *   meters                             set of meter ids seen
 *
 * One MULTI per reading keeps the state, history and quarter hours consistent if the process dies midway.
 */
import type { PeriodKind, PeriodStatistics } from "@smarty/contracts";
import type { Redis } from "ioredis";
import { periodStart } from "../calendar.js";
import type { MeterState } from "./meter-state.js";
import type { QuarterEnergy } from "./period-accumulator.js";

/** Closed periods kept per kind: enough for comparisons, week/month breakdowns and a year of months. */
const HISTORY_KEEP: Readonly<Record<PeriodKind, number>> = { day: 70, week: 60, month: 36 };
const QUARTERS_TTL_S = 70 * 86_400;

export class StatisticsStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: (string | number)[]): string {
    return `${this.prefix}${parts.join(":")}`;
  }

  async meters(): Promise<string[]> {
    return (await this.redis.smembers(this.key("meters"))).sort();
  }

  async loadState(meterId: string): Promise<MeterState | undefined> {
    const json = await this.redis.get(this.key("stats", meterId));
    return json ? (JSON.parse(json) as MeterState) : undefined;
  }

  /** Saves the state together with what the step closed. */
  async save(
    state: MeterState,
    closed: readonly PeriodStatistics[],
    quarters: readonly QuarterEnergy[],
  ): Promise<void> {
    const m = state.meter_id;
    const tx = this.redis.multi();
    tx.set(this.key("stats", m), JSON.stringify(state));
    tx.sadd(this.key("meters"), m);
    for (const p of closed) tx.hset(this.key("history", m, p.period), String(Date.parse(p.start)), JSON.stringify(p));
    const days = new Set<string>();
    for (const q of quarters) {
      const dayKey = this.key("quarters", m, periodStart("day", q.start));
      days.add(dayKey);
      tx.hset(dayKey, String(q.start), `${q.import_kwh},${q.export_kwh ?? ""}`);
    }
    for (const d of days) tx.expire(d, QUARTERS_TTL_S);
    await tx.exec();
    for (const p of closed) await this.trim(m, p.period);
  }

  private async trim(meterId: string, kind: PeriodKind): Promise<void> {
    const key = this.key("history", meterId, kind);
    const fields = (await this.redis.hkeys(key)).map(Number).sort((a, b) => a - b);
    const excess = fields.length - HISTORY_KEEP[kind];
    if (excess > 0) await this.redis.hdel(key, ...fields.slice(0, excess).map(String));
  }

  /** The closed period of `kind` starting at `start`, if kept. */
  async history(meterId: string, kind: PeriodKind, start: number): Promise<PeriodStatistics | undefined> {
    const json = await this.redis.hget(this.key("history", meterId, kind), String(start));
    return json ? (JSON.parse(json) as PeriodStatistics) : undefined;
  }

  /** Closed periods of `kind` whose start lies in [from, to), oldest first. */
  async historyRange(meterId: string, kind: PeriodKind, from: number, to: number): Promise<PeriodStatistics[]> {
    const all = await this.redis.hgetall(this.key("history", meterId, kind));
    return Object.entries(all)
      .map(([k, v]) => [Number(k), v] as const)
      .filter(([k]) => k >= from && k < to)
      .sort((a, b) => a[0] - b[0])
      .map(([, v]) => JSON.parse(v) as PeriodStatistics);
  }

  /** Closed quarter hours of the local days starting at `dayStarts`. */
  async quarters(meterId: string, dayStarts: readonly number[]): Promise<QuarterEnergy[]> {
    const out: QuarterEnergy[] = [];
    for (const d of dayStarts) {
      const all = await this.redis.hgetall(this.key("quarters", meterId, d));
      for (const [start, v] of Object.entries(all)) {
        const [imp, exp] = v.split(",");
        out.push({
          start: Number(start),
          import_kwh: Number(imp),
          export_kwh: exp === undefined || exp === "" ? null : Number(exp),
        });
      }
    }
    return out.sort((a, b) => a.start - b.start);
  }
}
