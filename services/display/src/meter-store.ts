/**
 * What the display knows, per meter: the latest reading with its arrival time, ten minutes of net power for the
 * sparkline and the notifier's statistics; per ingest instance: its health and status. Changes are emitted so the
 * SSE hub can push them. Staleness is decided here with the injected clock: a timer per meter fires when no reading
 * arrived for `staleAfterMs`, so tests move time instead of sleeping.
 */
import { EventEmitter } from "node:events";
import type { IngestHealth, ServiceStatus, Statistics } from "@smarty/contracts";
import { netPowerW, type Reading } from "@smarty/p1";
import type { Clock, TimerHandle } from "@smarty/service-kit";
import { PowerHistory } from "./power-history.js";

/** More meters than any home has; bounds memory against a flood of made-up topics. */
export const MAX_METERS = 16;
export const MAX_INGEST_INSTANCES = 16;

export interface MeterEntry {
  /** The meter's topic segment (`<base>/<id>/reading`), also its id in the API and the page. */
  readonly id: string;
  reading: Reading;
  /** Arrival time (ms since epoch, the display's clock). */
  receivedAt: number;
  readonly history: PowerHistory;
  staleTimer: TimerHandle | undefined;
}

export interface IngestEntry {
  readonly instance: string;
  health: IngestHealth | undefined;
  status: ServiceStatus | undefined;
}

export type MeterChange = "reading" | "state" | "statistics";

export interface MeterStoreOptions {
  readonly clock: Clock;
  readonly staleAfterMs: number;
}

export class MeterStore extends EventEmitter<{
  meter: [id: string, change: MeterChange];
  remove: [id: string];
  ingest: [];
}> {
  private readonly meters = new Map<string, MeterEntry>();
  private readonly statistics = new Map<string, Statistics>();
  private readonly ingests = new Map<string, IngestEntry>();

  constructor(private readonly o: MeterStoreOptions) {
    super();
  }

  get staleAfterMs(): number {
    return this.o.staleAfterMs;
  }

  now(): number {
    return this.o.clock.now();
  }

  /** Stores a reading; false when the meter would exceed MAX_METERS (the reading is not kept). */
  putReading(id: string, reading: Reading): boolean {
    let entry = this.meters.get(id);
    if (!entry) {
      if (this.meters.size >= MAX_METERS) return false;
      entry = { id, reading, receivedAt: 0, history: new PowerHistory(), staleTimer: undefined };
      this.meters.set(id, entry);
    }
    const now = this.o.clock.now();
    entry.reading = reading;
    entry.receivedAt = now;
    const w = netPowerW(reading);
    if (w !== undefined) entry.history.push(now, w);
    this.armStaleTimer(entry);
    this.emit("meter", id, "reading");
    return true;
  }

  /** Stores statistics; false when they belong to no known meter and the table is full. */
  putStatistics(id: string, statistics: Statistics): boolean {
    if (!this.statistics.has(id) && this.statistics.size >= MAX_METERS) return false;
    this.statistics.set(id, statistics);
    if (this.meters.has(id)) this.emit("meter", id, "statistics");
    return true;
  }

  /** Forgets a meter (its retained reading was deleted). */
  removeMeter(id: string): boolean {
    const entry = this.meters.get(id);
    if (!entry) return false;
    if (entry.staleTimer !== undefined) this.o.clock.clearTimeout(entry.staleTimer);
    this.meters.delete(id);
    this.statistics.delete(id);
    this.emit("remove", id);
    return true;
  }

  removeStatistics(id: string): void {
    if (this.statistics.delete(id) && this.meters.has(id)) this.emit("meter", id, "statistics");
  }

  /** Sets (or with undefined, clears) an ingest instance's health; false when the table is full. */
  setIngestHealth(instance: string, health: IngestHealth | undefined): boolean {
    return this.updateIngest(instance, (e) => {
      e.health = health;
    });
  }

  setIngestStatus(instance: string, status: ServiceStatus | undefined): boolean {
    return this.updateIngest(instance, (e) => {
      e.status = status;
    });
  }

  meter(id: string): MeterEntry | undefined {
    return this.meters.get(id);
  }

  /** Meters sorted by id, so the selector's order is stable. */
  meterList(): MeterEntry[] {
    return [...this.meters.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  statisticsOf(id: string): Statistics | undefined {
    return this.statistics.get(id);
  }

  ingestList(): IngestEntry[] {
    return [...this.ingests.values()].sort((a, b) => a.instance.localeCompare(b.instance));
  }

  /** Cancels the stale timers (on stop). */
  close(): void {
    for (const entry of this.meters.values()) {
      if (entry.staleTimer !== undefined) this.o.clock.clearTimeout(entry.staleTimer);
      entry.staleTimer = undefined;
    }
  }

  private armStaleTimer(entry: MeterEntry): void {
    if (entry.staleTimer !== undefined) this.o.clock.clearTimeout(entry.staleTimer);
    entry.staleTimer = this.o.clock.setTimeout(() => {
      entry.staleTimer = undefined;
      if (this.meters.get(entry.id) === entry) this.emit("meter", entry.id, "state");
    }, this.o.staleAfterMs);
  }

  private updateIngest(instance: string, update: (e: IngestEntry) => void): boolean {
    let entry = this.ingests.get(instance);
    if (!entry) {
      if (this.ingests.size >= MAX_INGEST_INSTANCES) return false;
      entry = { instance, health: undefined, status: undefined };
      this.ingests.set(instance, entry);
    }
    update(entry);
    if (entry.health === undefined && entry.status === undefined) this.ingests.delete(instance);
    this.emit("ingest");
    return true;
  }
}
