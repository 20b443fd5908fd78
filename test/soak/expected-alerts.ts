/**
 * The notifications a run must produce, derived from the fault schedule and the simulator's truth, never from what
 * the notifier published. The soak's rule file (test/soak/stack.ts) keeps the rules whose outcome follows from
 * the readings alone and gives each a cooldown and `clear_after` longer than any run, so every alert has one
 * episode and notifies its start once; the ingest_auth alert also notifies its end. Default routing: info → chat,
 * warning and critical → mail and chat.
 *
 * - `ingest_auth_<instance>` (critical): the first key change on a meter (the ingest reports `wrong_key` after
 *   three failed frames in a row), then "decrypt again" when the right key is back;
 * - `voltage_sag_l<n>` (warning): the first delivered frame whose sag counter (1-0:32.32.0 …) is above the one of
 *   the frame delivered before it; the message names the increase;
 * - `power_failure` (critical): the same with the power failure counter (0-0:96.7.21);
 * - `ingest_untrusted_<instance>` (critical): the first forged plaintext frame or clock jump on a meter; the
 *   ingest's counts since its start name that one fault;
 * - `operator_message_long_message` (info, chat only): the first delivered frame whose operator text (0-0:96.13.0)
 *   is not empty and differs from the frame delivered before it (the very first reading included).
 */
import type { Fault } from "./fault-plan.js";
import type { MeterFeed } from "./meter-feed.js";

export const ALERT_CHANNELS_BY_SEVERITY: Readonly<Record<string, readonly ("email" | "chat")[]>> = {
  info: ["chat"],
  warning: ["email", "chat"],
  critical: ["email", "chat"],
};

/** Chat text of an ingest_auth alert with its running count replaced (see `tallyChat`). */
export const INGEST_AUTH_CHAT = "Telegrams fail authentication (N so far): is the P1 key (SMARTY_KEY) right?";
export const INGEST_AUTH_CLEARED = "Telegrams decrypt again";

const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export interface ExpectedNotifications {
  /** `meter|alert id|active|cleared` → mails. */
  readonly email: Map<string, number>;
  /** `severity|text` or `cleared|text` → chat messages. */
  readonly chat: Map<string, number>;
  /** Alerts expected, `meter/alert id`, for the report. */
  readonly alerts: string[];
}

export function expectedNotifications(feeds: readonly MeterFeed[], faults: readonly Fault[]): ExpectedNotifications {
  const email = new Map<string, number>();
  const chat = new Map<string, number>();
  const alerts: string[] = [];
  const notify = (meterId: string, id: string, severity: string, text: string, clear?: string) => {
    alerts.push(`${meterId}/${id}`);
    if (ALERT_CHANNELS_BY_SEVERITY[severity]?.includes("email")) {
      inc(email, `${meterId}|${id}|active`);
      if (clear !== undefined) inc(email, `${meterId}|${id}|cleared`);
    }
    if (ALERT_CHANNELS_BY_SEVERITY[severity]?.includes("chat")) {
      inc(chat, `${severity}|${text}`);
      if (clear !== undefined) inc(chat, `cleared|${clear}`);
    }
  };
  const keyChanged = new Set(faults.filter((f) => f.kind === "key_change").map((f) => f.meter));
  const untrusted = new Map<number, Fault>();
  for (const f of faults) {
    if ((f.kind === "forged_frame" || f.kind === "clock_jump") && !untrusted.has(f.meter)) untrusted.set(f.meter, f);
  }
  for (const [m, feed] of feeds.entries()) {
    if (keyChanged.has(m)) {
      notify(feed.meterId, `ingest_auth_meter${m + 1}`, "critical", INGEST_AUTH_CHAT, INGEST_AUTH_CLEARED);
    }
    const hostile = untrusted.get(m);
    if (hostile) {
      const [plaintext, clock] = hostile.kind === "forged_frame" ? [1, 0] : [0, 1];
      const text = `The ingest refused untrusted input: ${plaintext} plaintext frame(s) while a P1 key is set, ${clock} reading(s) with an impossible meter time`;
      notify(feed.meterId, `ingest_untrusted_meter${m + 1}`, "critical", text);
    }
    const fired = new Set<string>();
    let prev = -1;
    for (const i of feed.deliveredIndices()) {
      if (prev >= 0) {
        for (let p = 0; p < 3; p++) {
          const d = (feed.sags[i * 3 + p] ?? 0) - (feed.sags[prev * 3 + p] ?? 0);
          const id = `voltage_sag_l${p + 1}`;
          if (d > 0 && !fired.has(id)) {
            fired.add(id);
            notify(feed.meterId, id, "warning", `Voltage sag on L${p + 1} (${d} new)`);
          }
        }
        const pf = (feed.powerFailures[i] ?? 0) - (feed.powerFailures[prev] ?? 0);
        if (pf > 0 && !fired.has("power_failure")) {
          fired.add("power_failure");
          notify(feed.meterId, "power_failure", "critical", `The meter counted ${pf} power failure(s)`);
        }
      }
      const text = feed.messages[i]?.trim() ?? "";
      const before = prev >= 0 ? feed.messages[prev]?.trim() : undefined;
      if (text !== "" && text !== before && !fired.has("operator_message")) {
        fired.add("operator_message");
        notify(feed.meterId, "operator_message_long_message", "info", `Message from the grid operator: ${text}`);
      }
      prev = i;
    }
  }
  return { email, chat, alerts };
}
