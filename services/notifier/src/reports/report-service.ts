/**
 * Builds report mails and puts them in the outbox, one per EMAIL_TO recipient: on schedule for a closed period
 * (dedupe key per meter, period and recipient, so a restart never sends it twice) or on request for the period
 * so far (MQTT command, chat `report`).
 */
import type { PeriodKind } from "@smarty/contracts";
import { type Language, t } from "@smarty/i18n";
import type { Clock, Logger } from "@smarty/service-kit";
import { periodLabel } from "../calendar.js";
import type { Outbox, OutboxPayload } from "../ports.js";
import type { StatisticsEngine } from "../statistics/statistics-engine.js";
import { barChartPng } from "./chart-png.js";
import { type ReportData, reportData } from "./report-data.js";
import { hourlyCsv, reportHtmlBody, reportSubject, reportTextBody } from "./report-text.js";

export interface ReportServiceOptions {
  readonly stats: StatisticsEngine;
  readonly outbox: Outbox;
  /** EMAIL_TO; empty when email is off (reports are email only). */
  readonly recipients: readonly string[];
  readonly clock: Clock;
  readonly log: Logger;
  /** SMARTY_LANGUAGE of the mails and answers; English when unset. */
  readonly language?: Language;
}

/** The outbox payload of a report. */
export function reportPayload(d: ReportData, lang: Language = "en"): OutboxPayload {
  const chart = barChartPng(d.kind === "day" ? d.hours.map((h) => h.import_kwh) : d.days.map((x) => x.import_kwh));
  return {
    kind: "report",
    period: d.kind,
    meter_id: d.meterId,
    subject: reportSubject(d, lang),
    text: reportTextBody(d, lang),
    html: reportHtmlBody(d, lang),
    attachments: [
      { filename: "chart.png", content_type: "image/png", base64: chart.toString("base64") },
      { filename: "hourly.csv", content_type: "text/csv", base64: Buffer.from(hourlyCsv(d)).toString("base64") },
    ],
  };
}

export class ReportService {
  constructor(private readonly o: ReportServiceOptions) {}

  get enabled(): boolean {
    return this.o.recipients.length > 0;
  }

  /**
   * Enqueues the report of the period of `kind` containing `at` for every meter and recipient.
   * @param dedupe true for scheduled reports of closed periods (once per period); false for requests.
   * @returns the number of mails queued.
   */
  async send(kind: PeriodKind, at: number, dedupe: boolean): Promise<number> {
    let queued = 0;
    for (const meterId of await this.o.stats.meters()) {
      const data = await reportData(this.o.stats, meterId, kind, at);
      if (!data) continue;
      const payload = reportPayload(data, this.lang);
      for (const to of this.o.recipients) {
        const key = dedupe ? `report:${meterId}:${kind}:${data.start}:${to}` : undefined;
        if (await this.o.outbox.enqueue("email", to, payload, key)) queued++;
      }
      this.o.log.info(
        { meter_id: meterId, period: periodLabel(kind, data.start), queued, scheduled: dedupe },
        "report queued",
      );
    }
    return queued;
  }

  /**
   * The report of the period containing `at` (default now: the period so far), mailed now; a short answer for the
   * chat bot and the command reply.
   */
  async request(kind: PeriodKind, at?: number): Promise<string> {
    const lang = this.lang;
    if (!this.enabled) return t(lang, "bot.report.disabled");
    const n = await this.send(kind, at ?? this.o.clock.now(), false);
    const period = t(lang, `common.period.${kind}`);
    if (n === 0) return t(lang, "bot.report.none", { period });
    return t(lang, n === 1 ? "bot.report.queued_one" : "bot.report.queued_many", { period, n });
  }

  private get lang(): Language {
    return this.o.language ?? "en";
  }
}
