/**
 * The alert state machine. Signals from the rules become alerts with one retained MQTT state each
 * (`<base>/alerts/<meter>/<id>`, active or cleared) and, per episode, at most one notification of its start and
 * one of its end:
 *   - level rules activate after their condition held for `for`, and clear when it stops holding (hysteresis is
 *     applied by the rule); event rules clear after `clear_after` without a new event;
 *   - a notification is sent only if the rule is not muted (config or a timed mute) and its `cooldown` has passed
 *     since the last notification of that alert; a clearing is notified when the activation was.
 * State lives in Redis (alert-store.ts), so a restart neither repeats nor forgets an episode.
 */
import type { Alert } from "@smarty/contracts";
import { type Clock, formatDuration, type Logger } from "@smarty/service-kit";
import { isoLocal } from "../calendar.js";
import type { RulesConfig } from "../config-file.js";
import type { AlertStore, TrackedAlert } from "./alert-store.js";
import type { Signal } from "./signals.js";

export interface AlertEngineOptions {
  readonly store: AlertStore;
  readonly rules: RulesConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Publishes the retained state of an alert. */
  readonly publish: (alert: Alert) => Promise<void>;
  /** Sends a notification (through the outbox) for an activation or clearing. */
  readonly notify: (alert: Alert) => Promise<void>;
}

const keyOf = (meterId: string, id: string) => `${meterId}/${id}`;

export class AlertEngine {
  private tracked = new Map<string, TrackedAlert>();
  private muteUntil: number | null = null;

  constructor(private readonly o: AlertEngineOptions) {}

  async load(): Promise<void> {
    this.tracked = await this.o.store.loadAll();
    this.muteUntil = await this.o.store.loadMute();
  }

  isActive(meterId: string, id: string): boolean {
    return this.tracked.get(keyOf(meterId, id))?.alert?.state === "active";
  }

  /** Active alerts, newest first. */
  active(): Alert[] {
    return [...this.tracked.values()]
      .map((t) => t.alert)
      .filter((a): a is Alert => a?.state === "active")
      .sort((a, b) => Date.parse(b.since) - Date.parse(a.since));
  }

  /** Alert states per meter, for tests and the bot. */
  get(meterId: string, id: string): Alert | undefined {
    return this.tracked.get(keyOf(meterId, id))?.alert ?? undefined;
  }

  mutedUntil(): number | null {
    return this.muteUntil !== null && this.muteUntil > this.o.clock.now() ? this.muteUntil : null;
  }

  async mute(durationMs: number): Promise<number> {
    this.muteUntil = this.o.clock.now() + durationMs;
    await this.o.store.saveMute(this.muteUntil);
    return this.muteUntil;
  }

  async unmute(): Promise<void> {
    this.muteUntil = null;
    await this.o.store.saveMute(null);
  }

  /** Applies the signals of one evaluation. */
  async apply(meterId: string, signals: readonly Signal[]): Promise<void> {
    for (const s of signals) await this.applyOne(meterId, s);
  }

  /** Clears event alerts whose `clear_after` has passed (called on a timer). */
  async expireEvents(): Promise<void> {
    const now = this.o.clock.now();
    for (const [key, t] of this.tracked) {
      const a = t.alert;
      if (a?.state !== "active" || t.lastEventAt === null) continue;
      const rule = this.o.rules[a.rule as keyof RulesConfig];
      const clearAfter = "clear_after" in rule ? rule.clear_after : 0;
      if (now - t.lastEventAt >= clearAfter)
        await this.clear(key, t, `Nothing new for ${formatDuration(clearAfter)}`, now);
    }
  }

  private async applyOne(meterId: string, s: Signal): Promise<void> {
    const now = this.o.clock.now();
    const key = keyOf(meterId, s.id);
    const t = this.tracked.get(key) ?? {
      alert: null,
      pendingSince: null,
      lastEventAt: null,
      lastNotifiedAt: null,
      episodeNotified: false,
    };
    const active = t.alert?.state === "active";
    if (s.kind === "event") {
      t.lastEventAt = now;
      if (active && t.alert) {
        t.alert = { ...t.alert, message: s.message, value: s.value ?? null, updated_at: isoLocal(now) };
        await this.save(key, t, true);
      } else {
        await this.activate(meterId, key, t, s, now);
      }
      return;
    }
    if (s.condition) {
      if (active) return;
      const rule = this.o.rules[s.rule];
      const forMs = "for" in rule ? rule.for : 0;
      t.pendingSince ??= now;
      if (now - t.pendingSince >= forMs) await this.activate(meterId, key, t, s, now);
      else this.tracked.set(key, t); // pending: kept in memory only, a restart restarts the delay
      return;
    }
    t.pendingSince = null;
    if (active) await this.clear(key, t, s.clearMessage ?? "Back to normal", now, s.value);
  }

  private muted(rule: keyof RulesConfig, now: number): boolean {
    return this.o.rules[rule].muted || (this.muteUntil !== null && this.muteUntil > now);
  }

  private async activate(meterId: string, key: string, t: TrackedAlert, s: Signal, now: number): Promise<void> {
    const rule = this.o.rules[s.rule];
    const muteUntil = this.mutedUntil();
    t.alert = {
      id: s.id,
      rule: s.rule,
      meter_id: meterId,
      severity: rule.severity,
      state: "active",
      message: s.message,
      since: isoLocal(now),
      updated_at: isoLocal(now),
      value: s.value ?? null,
      muted_until: rule.muted ? null : muteUntil === null ? null : isoLocal(muteUntil),
    };
    t.pendingSince = null;
    const cooled = t.lastNotifiedAt === null || now - t.lastNotifiedAt >= rule.cooldown;
    t.episodeNotified = !this.muted(s.rule, now) && cooled;
    if (t.episodeNotified) t.lastNotifiedAt = now;
    this.o.log.info(
      { meter_id: meterId, alert: s.id, severity: rule.severity, notified: t.episodeNotified },
      "alert raised",
    );
    await this.save(key, t, true);
    if (t.episodeNotified) await this.o.notify(t.alert);
  }

  private async clear(
    key: string,
    t: TrackedAlert,
    message: string,
    now: number,
    value?: number | null,
  ): Promise<void> {
    if (!t.alert) return;
    const rule = this.o.rules[t.alert.rule as keyof RulesConfig];
    t.alert = {
      ...t.alert,
      state: "cleared",
      message,
      updated_at: isoLocal(now),
      value: value ?? t.alert.value ?? null,
    };
    t.lastEventAt = null;
    const notify = t.episodeNotified && rule.notify_clear && !this.muted(t.alert.rule as keyof RulesConfig, now);
    t.episodeNotified = false;
    this.o.log.info({ meter_id: t.alert.meter_id, alert: t.alert.id, notified: notify }, "alert cleared");
    await this.save(key, t, true);
    if (notify) await this.o.notify(t.alert);
  }

  private async save(key: string, t: TrackedAlert, publish: boolean): Promise<void> {
    this.tracked.set(key, t);
    await this.o.store.save(key, t);
    if (publish && t.alert) await this.o.publish(t.alert);
  }
}
