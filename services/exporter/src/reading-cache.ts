/**
 * The latest reading per meter with the time it arrived. Values are turned into samples only at scrape time
 * (writing_exporters.md "Scheduling"), and a reading older than `staleAfterMs` (counted from its arrival, not from
 * the meter's clock) is no longer exported, so Prometheus shows a gap instead of a frozen value ("Pushes": expire).
 *
 * A retained reading that arrives again after a reconnect is the same telegram, not a new one: it keeps its first
 * arrival time, so a broker restart cannot make an old value look fresh. The identity of the last reading per meter
 * is kept after the reading itself has gone stale for the same reason.
 */

import type { Reading } from "@smarty/p1";
import type { Clock } from "@smarty/service-kit";

export interface CachedReading {
  readonly reading: Reading;
  /** Clock time at which the reading arrived (ms). */
  readonly arrivedAt: number;
}

interface Entry {
  reading: Reading | undefined;
  arrivedAt: number;
  fingerprint: string;
  topicSegment: string;
}

export type PutResult = "stored" | "unchanged";

export interface ReadingCacheOptions {
  readonly clock: Clock;
  readonly staleAfterMs: number;
  /** Upper bound on remembered meters, so a misbehaving publisher cannot grow memory without limit. */
  readonly maxMeters?: number;
}

/** Identity of a telegram: meter time, CRC and frame counter (a meter sends each combination once). */
export function readingFingerprint(r: Reading): string {
  return `${r.time ?? ""}|${r.crc ?? ""}|${r.frame?.frame_counter ?? ""}`;
}

export class ReadingCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxMeters: number;
  /** The last `fresh()` answer and the state it was computed for: one scrape asks once per metric family. */
  private memo: { at: number; version: number; readings: CachedReading[] } | undefined;
  private version = 0;

  constructor(private readonly options: ReadingCacheOptions) {
    this.maxMeters = options.maxMeters ?? 10_000;
  }

  /**
   * Stores a reading that arrived now. A retained copy of the reading already held keeps the earlier arrival.
   * @param topicSegment the meter's topic level, so an empty retained message on that topic can remove it.
   */
  put(reading: Reading, retained: boolean, topicSegment: string): PutResult {
    const now = this.options.clock.now();
    const fingerprint = readingFingerprint(reading);
    const entry = this.entries.get(reading.meter_id);
    if (entry && retained && entry.fingerprint === fingerprint) return "unchanged";
    if (!entry && this.entries.size >= this.maxMeters) this.evictOldest();
    this.entries.set(reading.meter_id, { reading, arrivedAt: now, fingerprint, topicSegment });
    this.version++;
    return "stored";
  }

  /** Forgets the meter published on `topicSegment` (an empty retained message clears a topic, MQTT 3.1.1 §3.3.1.3). */
  removeByTopic(topicSegment: string): boolean {
    for (const [id, e] of this.entries) {
      if (e.topicSegment === topicSegment) {
        this.entries.delete(id);
        this.version++;
        return true;
      }
    }
    return false;
  }

  /** Readings that are not stale at this instant, by meter id (a stable /metrics order); stale ones are dropped. */
  fresh(): readonly CachedReading[] {
    const now = this.options.clock.now();
    if (this.memo && this.memo.at === now && this.memo.version === this.version) return this.memo.readings;
    const out: CachedReading[] = [];
    for (const e of this.entries.values()) {
      if (!e.reading) continue;
      if (now - e.arrivedAt > this.options.staleAfterMs) {
        e.reading = undefined;
        continue;
      }
      out.push({ reading: e.reading, arrivedAt: e.arrivedAt });
    }
    out.sort((a, b) =>
      a.reading.meter_id < b.reading.meter_id ? -1 : a.reading.meter_id > b.reading.meter_id ? 1 : 0,
    );
    this.memo = { at: now, version: this.version, readings: out };
    return out;
  }

  /** Meters remembered, fresh or stale. */
  get size(): number {
    return this.entries.size;
  }

  private evictOldest(): void {
    let oldest: string | undefined;
    let at = Number.POSITIVE_INFINITY;
    for (const [id, e] of this.entries) {
      if (e.arrivedAt < at) {
        at = e.arrivedAt;
        oldest = id;
      }
    }
    if (oldest !== undefined) this.entries.delete(oldest);
    this.version++;
  }
}
