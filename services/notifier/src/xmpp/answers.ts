/**
 * The bot's answers as pure functions over readings, statistics, ingest health and alerts. A few short lines each,
 * written for a phone screen; every number goes through format.ts. Reading keys are the OBIS registry's
 * (power_import_kw, power_import_l1_kw, voltage_l1_v …), never retyped OBIS codes. The words come from the
 * @smarty/i18n catalogs in the context's language (SMARTY_LANGUAGE; English without one).
 */
import type { Alert, IngestHealth, PeriodStatistics, Severity, Statistics } from "@smarty/contracts";
import { formatNumber, type Language, type MessageKey, type Translate, translator } from "@smarty/i18n";
import { netPowerKw, phaseNumbers, type Reading, readingTimeMs } from "@smarty/p1";
import {
  DEFAULT_TIME_ZONE,
  formatAge,
  formatChange,
  formatClock,
  formatDate,
  formatKw,
  formatKwh,
  formatMoney,
  formatVolts,
  formatWhen,
} from "./format.js";

/** A meter is "online" while its last reading is at most this old (the core's meter-silent rule uses 60 s). */
export const METER_SILENT_AFTER_MS = 60_000;

export interface AnswerContext {
  readonly now: number;
  readonly timeZone?: string;
  /** The household's language; English when unset. */
  readonly language?: Language;
}

const langOf = (ctx: AnswerContext): Language => ctx.language ?? "en";
const tr = (ctx: AnswerContext): Translate => translator(langOf(ctx));

const PHASES = [1, 2, 3] as const;

/** `now`: total power, power per phase (negative = export) and voltage per phase. */
export function formatNow(reading: Reading, receivedAt: number | undefined, ctx: AnswerContext): string {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const lang = langOf(ctx);
  const t = tr(ctx);
  const net = netPowerKw(reading) ?? 0;
  const at = readingTimeMs(reading) ?? receivedAt;
  let head = t(net < 0 ? "bot.export" : "bot.import", { value: formatKw(Math.abs(net), lang) });
  if (at !== undefined) head += ` ${t("bot.now.at", { time: formatClock(at, tz, true) })}`;
  const age = receivedAt === undefined ? undefined : ctx.now - receivedAt;
  if (age !== undefined && age > METER_SILENT_AFTER_MS) head += ` ${t("bot.now.old", { age: formatAge(age) })}`;
  const lines = [head];
  const phases = PHASES.flatMap((n) => {
    const v = netPowerKw(reading, n);
    return v === undefined ? [] : [`L${n} ${formatKw(v, lang).replace(" kW", "")}`];
  });
  if (phases.length > 0) {
    const anyExport = PHASES.some((n) => (netPowerKw(reading, n) ?? 0) < 0);
    lines.push(`${phases.join(" · ")} kW${anyExport ? ` ${t("bot.now.export_sign")}` : ""}`);
  }
  const volts = phaseNumbers(reading, "voltage_l#_v").flatMap((v) =>
    v === undefined ? [] : [formatVolts(v, lang).replace(" V", "")],
  );
  if (volts.length > 0) lines.push(t("bot.now.voltage", { values: volts.join(" · ") }));
  return lines.join("\n");
}

export type PeriodQuery = "today" | "yesterday" | "week" | "month";

const TITLES: Readonly<Record<PeriodQuery, MessageKey>> = {
  today: "bot.period.today",
  yesterday: "bot.period.yesterday",
  week: "bot.period.week",
  month: "bot.period.month",
};
const PREVIOUS: Readonly<Record<Exclude<PeriodQuery, "yesterday">, MessageKey>> = {
  today: "bot.previous.today",
  week: "bot.previous.week",
  month: "bot.previous.month",
};

/** Below this share of the period, a projection says more about chance than about the household. */
const MIN_PACE_SHARE = 0.1;

function energyLines(p: PeriodStatistics, ctx: AnswerContext): string[] {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const lang = langOf(ctx);
  const t = tr(ctx);
  const lines: string[] = [];
  let energy = t("bot.import", { value: p.energy_import_kwh === null ? "-" : formatKwh(p.energy_import_kwh, lang) });
  if (p.energy_export_kwh !== null && p.energy_export_kwh > 0)
    energy += ` · ${t("bot.export", { value: formatKwh(p.energy_export_kwh, lang) })}`;
  lines.push(energy);
  if (p.cost) lines.push(t("bot.cost", { value: formatMoney(p.cost.total, p.cost.currency, lang) }));
  if (p.peak_15min_import_kw !== null) {
    const when = p.peak_15min_at === null ? undefined : formatWhen(Date.parse(p.peak_15min_at), ctx.now, tz, lang);
    const at = when === undefined ? "" : ` ${t("bot.now.at", { time: when })}`;
    lines.push(`${t("bot.peak", { value: formatKw(p.peak_15min_import_kw, lang) })}${at}`);
  }
  return lines;
}

function summary(p: PeriodStatistics, lang: Language): string {
  const parts = [p.energy_import_kwh === null ? "-" : formatKwh(p.energy_import_kwh, lang)];
  if (p.cost) parts.push(formatMoney(p.cost.total, p.cost.currency, lang));
  return parts.join(", ");
}

/**
 * `today`, `yesterday`, `week`, `month`: energy, cost and 15-minute peak, and for a running period the previous
 * one with the pace: the energy so far scaled to the whole period, compared with the previous period's total.
 */
export function formatPeriod(query: PeriodQuery, stats: Statistics | undefined, ctx: AnswerContext): string {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const lang = langOf(ctx);
  const t = tr(ctx);
  if (!stats) return t("bot.period.no_statistics");
  if (query === "yesterday") {
    const p = stats.previous.day;
    if (!p) return t("bot.period.no_yesterday");
    const date = formatDate(Date.parse(p.start), tz, lang);
    return [t("bot.period.yesterday_on", { date }), ...energyLines(p, ctx)].join("\n");
  }
  const kind = query === "today" ? "day" : query;
  const p = stats.current[kind];
  const start = Date.parse(p.start);
  const since = query === "today" ? formatClock(start, tz) : formatDate(start, tz, lang);
  const lines = [t("bot.period.so_far", { title: t(TITLES[query]), since }), ...energyLines(p, ctx)];
  const prev = stats.previous[kind];
  if (prev) {
    lines.push(t("bot.previous.summary", { title: t(PREVIOUS[query]), value: summary(prev, lang) }));
    const share = (ctx.now - start) / (Date.parse(p.end) - start);
    if (p.energy_import_kwh !== null && prev.energy_import_kwh !== null && share >= MIN_PACE_SHARE && share < 1) {
      const pace = p.energy_import_kwh / share;
      const change = formatChange(pace, prev.energy_import_kwh);
      lines.push(t("bot.pace", { value: `${formatKwh(pace, lang)}${change ? ` (${change})` : ""}` }));
    }
  }
  return lines.join("\n");
}

export interface StatusInput {
  readonly meters: readonly { readonly id: string; readonly receivedAt: number | undefined }[];
  readonly ingest: readonly IngestHealth[];
  readonly brokerConnected: boolean;
  readonly activeAlerts: number;
  readonly mutedUntil: number | null;
}

/** `status`: each meter online or silent with the last reading's age, ingest health, broker, alerts. */
export function formatStatus(s: StatusInput, ctx: AnswerContext): string {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const t = tr(ctx);
  const lines: string[] = [];
  if (s.meters.length === 0) lines.push(t("bot.status.no_meter"));
  for (const m of s.meters) {
    if (m.receivedAt === undefined) {
      lines.push(t("bot.status.meter_no_reading", { id: m.id }));
      continue;
    }
    const age = ctx.now - m.receivedAt;
    const state = t(age <= METER_SILENT_AFTER_MS ? "bot.status.online" : "bot.status.silent");
    lines.push(t("bot.status.meter", { id: m.id, state, age: formatAge(age) }));
  }
  if (s.ingest.length === 0) lines.push(t("bot.status.no_ingest"));
  for (const h of s.ingest) {
    // The state and hint are the reader's own words (docs/ingest.md), kept as sent.
    const state = `${h.state}${h.hint ? ` (${h.hint})` : ""}`;
    let line = t("bot.status.ingest", { instance: h.instance, state, frames: h.frames_ok });
    if (h.authentication_failures > 0)
      line += `, ${t("bot.status.failed_decryptions", { n: h.authentication_failures })}`;
    lines.push(line);
  }
  lines.push(t(s.brokerConnected ? "bot.status.broker_up" : "bot.status.broker_down"));
  let alerts = t("bot.status.alerts", { n: s.activeAlerts });
  if (s.mutedUntil !== null && s.mutedUntil > ctx.now)
    alerts += `, ${t("bot.status.muted_until", { when: formatWhen(s.mutedUntil, ctx.now, tz, langOf(ctx)) })}`;
  lines.push(alerts);
  return lines.join("\n");
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

const SEVERITY_WORD: Readonly<Record<Severity, MessageKey>> = {
  critical: "bot.alert.critical",
  warning: "bot.alert.warning",
  info: "bot.alert.info",
};

/**
 * One alert as pushed to the phone: "[critical] Power import above 7 kW (since 12:01)". The severity and time are
 * in the household's language; the message is the rule's own text (contracts' Alert.message, English).
 */
export function formatAlertNotice(alert: Alert, ctx: AnswerContext): string {
  const t = tr(ctx);
  if (alert.state === "cleared") return `[${t("bot.alert.cleared")}] ${alert.message}`;
  const since = formatWhen(Date.parse(alert.since), ctx.now, ctx.timeZone, langOf(ctx));
  return `[${t(SEVERITY_WORD[alert.severity])}] ${alert.message} (${t("bot.alert.since", { when: since })})`;
}

/** `alerts`: the active alerts, most severe first. */
export function formatAlerts(alerts: readonly Alert[], mutedUntil: number | null, ctx: AnswerContext): string {
  const active = alerts
    .filter((a) => a.state === "active")
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Date.parse(a.since) - Date.parse(b.since));
  const t = tr(ctx);
  const lines = active.length === 0 ? [t("bot.alerts.none")] : [t("bot.alerts.active", { n: active.length })];
  for (const a of active) lines.push(`- ${formatAlertNotice(a, ctx)}`);
  if (mutedUntil !== null && mutedUntil > ctx.now) {
    lines.push(t("bot.alerts.muted_until", { when: formatWhen(mutedUntil, ctx.now, ctx.timeZone, langOf(ctx)) }));
  }
  return lines.join("\n");
}

/**
 * The presence status line: "3.2 kW import", "0.9 kW export" (live), "meter online" (coarse: nothing about the
 * household's consumption), or why there is no value.
 */
export function presenceStatus(
  reading: Reading | undefined,
  receivedAt: number | undefined,
  now: number,
  detail: "coarse" | "live" = "live",
  language: Language = "en",
): string {
  const t = translator(language);
  if (!reading) return t("bot.presence.waiting");
  if (receivedAt !== undefined && now - receivedAt > METER_SILENT_AFTER_MS) return t("bot.presence.silent");
  if (detail === "coarse") return t("bot.presence.online");
  const net = netPowerKw(reading) ?? 0;
  const value = formatNumber(language, Math.abs(net), 1);
  return t(net < 0 ? "bot.presence.export" : "bot.presence.import", { value });
}
