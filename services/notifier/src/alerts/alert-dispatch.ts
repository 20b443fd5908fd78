/**
 * Sends alert notifications through the outbox: to every channel configured for the alert's severity and every
 * recipient of that channel (EMAIL_TO, the XMPP allow-list). The dedupe key names the episode (alert, start time,
 * state), channel and recipient, so one episode is enqueued once even when the notifier restarts in between.
 */
import type { Alert, Severity } from "@smarty/contracts";
import type { Logger } from "@smarty/service-kit";
import { localClock } from "../calendar.js";
import type { ChannelName, Outbox } from "../ports.js";

export interface ChannelTarget {
  readonly channel: ChannelName;
  /** Who gets this alert on this channel (EMAIL_TO; the XMPP allow-list filtered by XMPP_ALERT_MIN_SEVERITY). */
  readonly recipients: (alert: Alert) => readonly string[];
}

export interface AlertDispatcherOptions {
  readonly outbox: Outbox;
  readonly targets: readonly ChannelTarget[];
  readonly severityChannels: Readonly<Record<Severity, readonly ChannelName[]>>;
  readonly log: Logger;
}

const HEADLINE: Readonly<Record<Severity, string>> = { info: "Info", warning: "Warning", critical: "Critical" };

/** A few lines that read well on a phone. */
export function alertText(a: Alert): string {
  const head = a.state === "active" ? `${HEADLINE[a.severity]}: ${a.message}` : `Back to normal: ${a.message}`;
  const when =
    a.state === "active" ? `since ${localClock(Date.parse(a.since))}` : `at ${localClock(Date.parse(a.updated_at))}`;
  return `${head}\n${a.meter_id} · ${a.id} · ${when}`;
}

export class AlertDispatcher {
  constructor(private readonly o: AlertDispatcherOptions) {}

  async notify(alert: Alert): Promise<number> {
    let queued = 0;
    const text = alertText(alert);
    for (const name of this.o.severityChannels[alert.severity]) {
      const target = this.o.targets.find((t) => t.channel === name);
      if (!target) continue; // channel not configured (no SMTP_URL / XMPP_SERVICE)
      for (const to of target.recipients(alert)) {
        const dedupe = `alert:${alert.meter_id}:${alert.id}:${alert.since}:${alert.state}:${name}:${to}`;
        const id = await this.o.outbox.enqueue(name, to, { kind: "alert", alert, text }, dedupe);
        if (id) queued++;
      }
    }
    this.o.log.debug({ alert: alert.id, state: alert.state, queued }, "alert notification queued");
    return queued;
  }
}
