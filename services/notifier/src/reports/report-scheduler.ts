/**
 * Sends the daily, weekly and monthly reports shortly after their period closed: `delay` after the boundary, or
 * at the local time `at` on the first day of the new period. Checked once a minute on the injected clock; the
 * outbox's dedupe key makes each report go out once, also across restarts (a notifier that was down at the
 * scheduled time sends it when it comes back, during the following period).
 */
import type { PeriodKind } from "@smarty/contracts";
import type { Clock, Component, Logger, TimerHandle } from "@smarty/service-kit";
import { localTime, localToUtc, periodStart, previousPeriodStart } from "../calendar.js";
import type { FileConfig } from "../config-file.js";
import type { ReportService } from "./report-service.js";

const KINDS: readonly PeriodKind[] = ["day", "week", "month"];

/** When the report of the period that ended at `boundary` is due. */
export function reportDueAt(boundary: number, schedule: FileConfig["reports"]["day"]): number {
  if (!schedule.at) return boundary + schedule.delay;
  const [hh, mm] = schedule.at.split(":").map(Number);
  const d = localTime(boundary);
  return localToUtc(d.year, d.month, d.day, hh ?? 0, mm ?? 0);
}

export interface ReportSchedulerOptions {
  readonly reports: ReportService;
  readonly schedule: FileConfig["reports"];
  readonly clock: Clock;
  readonly log: Logger;
  readonly checkMs?: number;
}

export class ReportScheduler implements Component {
  readonly name = "report-scheduler";
  private timer: TimerHandle | undefined;
  private running: Promise<void> | undefined;
  /** Start of the last period each kind was sent for (saves rebuilding it every minute). */
  private readonly sent = new Map<PeriodKind, number>();

  constructor(private readonly o: ReportSchedulerOptions) {}

  start(): void {
    if (!this.o.reports.enabled) return;
    this.timer = this.o.clock.setInterval(() => void this.check(), this.o.checkMs ?? 60_000);
    void this.check();
  }

  async stop(): Promise<void> {
    if (this.timer) this.o.clock.clearInterval(this.timer);
    await this.running;
  }

  /** Sends what is due now; resolves when done (tests call it after moving the clock). */
  check(): Promise<void> {
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const now = this.o.clock.now();
    for (const kind of KINDS) {
      const schedule = this.o.schedule[kind];
      if (!schedule.enabled) continue;
      const boundary = periodStart(kind, now);
      const closed = previousPeriodStart(kind, boundary);
      if (this.sent.get(kind) === closed || now < reportDueAt(boundary, schedule)) continue;
      try {
        await this.o.reports.send(kind, closed, true);
        this.sent.set(kind, closed);
      } catch (err) {
        this.o.log.error({ err, period: kind }, "scheduled report failed");
      }
    }
  }
}
