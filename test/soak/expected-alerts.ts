/**
 * The notifications an alert history must have produced with the soak's rule file (a 24 h cooldown on every rule):
 * the first episode of each alert notifies its start, and its end when it cleared; later episodes within the
 * cooldown are published on MQTT only. Default routing: info → chat, warning and critical → mail and chat.
 */
import type { AlertEpisode } from "./recorder.js";

export const ALERT_CHANNELS_BY_SEVERITY: Readonly<Record<string, readonly ("email" | "chat")[]>> = {
  info: ["chat"],
  warning: ["email", "chat"],
  critical: ["email", "chat"],
};

const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export function expectedNotifications(alerts: ReadonlyMap<string, readonly AlertEpisode[]>): {
  email: Map<string, number>;
  chat: Map<string, number>;
} {
  const email = new Map<string, number>();
  const chat = new Map<string, number>();
  for (const episodes of alerts.values()) {
    const first = episodes[0];
    if (!first) continue;
    const channels = ALERT_CHANNELS_BY_SEVERITY[first.severity] ?? [];
    if (channels.includes("email")) {
      inc(email, `${first.meterId}|${first.id}|active`);
      if (first.cleared) inc(email, `${first.meterId}|${first.id}|cleared`);
    }
    if (channels.includes("chat")) {
      inc(chat, `${first.severity}|${first.message}`);
      if (first.cleared) inc(chat, `cleared|${first.clearMessage ?? ""}`);
    }
  }
  return { email, chat };
}
