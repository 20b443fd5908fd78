/**
 * The JSON the page and the API receive, built from the store at one instant: the SSE snapshot and updates,
 * `/api/meters` and `/api/meters/:id/now`. Nothing secret is in it: no key, no password, no broker URL, and the
 * ingest's `source` (a device path or host) is left out.
 */
import type { IngestState, ServiceStatus } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import type { IngestEntry, MeterEntry, MeterStore } from "./meter-store.js";
import { HISTORY_WINDOW_MS, type PowerSample } from "./power-history.js";
import { type MeterView, meterView, type ViewSettings, VOLTAGE_BAND } from "./view.js";

export interface IngestView {
  readonly instance: string;
  /** `online`/`offline` from the Last Will topic; null before the first status. */
  readonly status: ServiceStatus | null;
  readonly state: IngestState | null;
  readonly hint: string | null;
  readonly updated_at: string | null;
  readonly last_frame_at: string | null;
}

export interface Snapshot {
  readonly server_time: string;
  readonly stale_after_ms: number;
  readonly window_ms: number;
  readonly voltage: typeof VOLTAGE_BAND;
  readonly meters: readonly (MeterView & { readonly history: readonly PowerSample[] })[];
  readonly ingest: readonly IngestView[];
}

export interface MeterUpdate {
  readonly server_time: string;
  readonly meter: MeterView;
  /** The sample this reading added to the sparkline, absent for state or statistics changes. */
  readonly sample?: PowerSample;
}

export interface ApiMeter {
  readonly id: string;
  readonly meter_id: string;
  readonly state: MeterView["state"];
  readonly received_at: string;
  readonly age_s: number;
  /** The reading JSON of the contract (docs/reading.md), as received. */
  readonly reading: Reading;
}

export function ingestView(e: IngestEntry): IngestView {
  return {
    instance: e.instance,
    status: e.status ?? null,
    state: e.health?.state ?? null,
    hint: e.health?.hint ?? null,
    updated_at: e.health?.updated_at ?? null,
    last_frame_at: e.health?.last_frame_at ?? null,
  };
}

export class Views {
  constructor(
    private readonly store: MeterStore,
    private readonly settings: ViewSettings,
  ) {}

  view(entry: MeterEntry): MeterView {
    const now = this.store.now();
    return meterView(entry, this.store.statisticsOf(entry.id), this.settings, now, this.store.staleAfterMs);
  }

  snapshot(): Snapshot {
    const now = this.store.now();
    return {
      server_time: new Date(now).toISOString(),
      stale_after_ms: this.store.staleAfterMs,
      window_ms: HISTORY_WINDOW_MS,
      voltage: VOLTAGE_BAND,
      meters: this.store.meterList().map((e) => ({ ...this.view(e), history: e.history.samples(now) })),
      ingest: this.ingest(),
    };
  }

  update(id: string, withSample: boolean): MeterUpdate | undefined {
    const entry = this.store.meter(id);
    if (!entry) return undefined;
    const newest = entry.history.newest();
    // Only a sample taken from this very reading; a reading without power registers adds none.
    const sample = withSample && newest?.[0] === entry.receivedAt ? newest : undefined;
    return {
      server_time: new Date(this.store.now()).toISOString(),
      meter: this.view(entry),
      ...(sample ? { sample } : {}),
    };
  }

  ingest(): IngestView[] {
    return this.store.ingestList().map(ingestView);
  }

  apiMeters(): { meters: ApiMeter[]; ingest: IngestView[] } {
    return {
      meters: this.store.meterList().map((e) => {
        const v = this.view(e);
        return {
          id: v.id,
          meter_id: v.meter_id,
          state: v.state,
          received_at: v.received_at,
          age_s: v.age_s,
          reading: e.reading,
        };
      }),
      ingest: this.ingest(),
    };
  }

  /** The meter by topic id or by meter id. */
  find(id: string): MeterEntry | undefined {
    return this.store.meter(id) ?? this.store.meterList().find((e) => e.reading.meter_id === id);
  }
}
