/**
 * Test data for the bot: readings parsed from real telegrams (packages/testkit/fixtures), hand-written statistics and
 * alerts, and a BotBackend double filled with them. Expected answers in the tests are written from these values
 * by hand, never produced by the code under test.
 */
import type { Alert, IngestHealth, PeriodKind, PeriodStatistics, Statistics } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { fixtureReading } from "@smarty/testkit/reading-builder";
import type { BotBackend } from "../../../src/ports.js";

/** meterlogger_lux_2026: exporting 0.897 kW (L1 0.319, L2 0.300, L3 0.277), 231/229/230 V, 17:54:31 CEST. */
export const EXPORTING: Reading = fixtureReading("meterlogger_lux_2026");
/** lux_spec_v113_example: importing 0.005 kW (L1), 233/0/1 V, 2020-07-06 10:41:57 CEST. */
export const IMPORTING: Reading = fixtureReading("lux_spec_v113_example");

/** Friday 3 April 2026, 18:00 in Luxembourg (CEST). */
export const NOW = Date.parse("2026-04-03T18:00:00+02:00");

export function period(
  kind: PeriodKind,
  start: string,
  end: string,
  p: Partial<PeriodStatistics> = {},
): PeriodStatistics {
  return {
    period: kind,
    start,
    end,
    complete: false,
    energy_import_kwh: null,
    energy_export_kwh: null,
    peak_15min_import_kw: null,
    peak_15min_at: null,
    voltage_min_v: { l1: null, l2: null, l3: null },
    voltage_max_v: { l1: null, l2: null, l3: null },
    voltage_sags: null,
    voltage_swells: null,
    power_failures: null,
    power_class_excess_kwh: null,
    mbus: [],
    cost: null,
    readings: 0,
    ...p,
  };
}

const cost = (total: number) => ({ currency: "EUR", energy: total, export_credit: 0, fixed: 0, power_class: 0, total });

export const STATISTICS: Statistics = {
  meter_id: EXPORTING.meter_id,
  updated_at: "2026-04-03T17:59:50+02:00",
  current: {
    day: period("day", "2026-04-03T00:00:00+02:00", "2026-04-04T00:00:00+02:00", {
      energy_import_kwh: 8.4,
      energy_export_kwh: 1.2,
      peak_15min_import_kw: 3.21,
      peak_15min_at: "2026-04-03T16:45:00Z",
      cost: cost(2.35),
    }),
    week: period("week", "2026-03-30T00:00:00+02:00", "2026-04-06T00:00:00+02:00", {
      energy_import_kwh: 60,
      energy_export_kwh: 0,
      cost: cost(16.8),
    }),
    month: period("month", "2026-04-01T00:00:00+02:00", "2026-05-01T00:00:00+02:00", {
      energy_import_kwh: 30.5,
      cost: cost(8.54),
    }),
  },
  previous: {
    day: period("day", "2026-04-02T00:00:00+02:00", "2026-04-03T00:00:00+02:00", {
      complete: true,
      energy_import_kwh: 12.1,
      energy_export_kwh: 0,
      peak_15min_import_kw: 4.02,
      peak_15min_at: "2026-04-02T17:15:00Z",
      cost: cost(3.38),
    }),
    week: period("week", "2026-03-23T00:00:00+01:00", "2026-03-30T00:00:00+02:00", {
      complete: true,
      energy_import_kwh: 85,
      cost: cost(23.8),
    }),
    month: period("month", "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00", {
      complete: true,
      energy_import_kwh: 350,
      cost: cost(98),
    }),
  },
};

export function ingestHealth(h: Partial<IngestHealth> = {}): IngestHealth {
  return {
    instance: "main",
    state: "ok",
    source: "serial:/dev/ttyUSB0",
    started_at: "2026-04-03T08:00:00+02:00",
    updated_at: "2026-04-03T17:59:58+02:00",
    last_frame_at: "2026-04-03T17:59:58+02:00",
    frames_ok: 1234,
    authentication_failures: 0,
    crc_failures: 0,
    format_errors: 0,
    replays: 0,
    missed_frames: 0,
    meter_changes: 0,
    stale_readings: 0,
    bytes: 1_500_000,
    skipped_bytes: 0,
    reconnects: 0,
    queue_length: 0,
    dropped_readings: 0,
    meters: [EXPORTING.meter_id],
    ...h,
  };
}

export function alert(a: Partial<Alert> & Pick<Alert, "id" | "severity" | "message">): Alert {
  return {
    rule: a.id,
    meter_id: EXPORTING.meter_id,
    state: "active",
    since: "2026-04-03T17:40:00+02:00",
    updated_at: "2026-04-03T17:40:00+02:00",
    ...a,
  };
}

/** A BotBackend over fixed data; records mutes and report requests. */
export class FakeBackend implements BotBackend {
  reading: Reading | undefined = EXPORTING;
  receivedAt: number | undefined;
  stats: Statistics | undefined = STATISTICS;
  health: IngestHealth[] = [ingestHealth()];
  broker = true;
  alerts: Alert[] = [];
  muted: number | null = null;
  readonly reports: PeriodKind[] = [];
  reportAnswer: string | Error = "Daily report sent to 1 recipient.";

  constructor(private readonly now: () => number) {
    this.receivedAt = now() - 4000;
  }

  meters(): readonly string[] {
    return this.reading ? [this.reading.meter_id] : [];
  }
  latest(): Reading | undefined {
    return this.reading;
  }
  latestReceivedAt(): number | undefined {
    return this.receivedAt;
  }
  statistics(): Statistics | undefined {
    return this.stats;
  }
  ingestHealth(): readonly IngestHealth[] {
    return this.health;
  }
  brokerConnected(): boolean {
    return this.broker;
  }
  activeAlerts(): readonly Alert[] {
    return this.alerts;
  }
  mute(durationMs: number): void {
    this.muted = this.now() + durationMs;
  }
  unmute(): void {
    this.muted = null;
  }
  mutedUntil(): number | null {
    return this.muted;
  }
  requestReport(period: PeriodKind): Promise<string> {
    this.reports.push(period);
    return this.reportAnswer instanceof Error ? Promise.reject(this.reportAnswer) : Promise.resolve(this.reportAnswer);
  }
}
