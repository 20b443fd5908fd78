/**
 * The bot's answers as pure functions over readings, statistics, ingest health and alerts. A few short lines each,
 * written for a phone screen; every number goes through format.ts. Reading keys are the OBIS registry's
 * (power_import_kw, power_import_l1_kw, voltage_l1_v …), never retyped OBIS codes.
 */
import type { Alert, IngestHealth, PeriodStatistics, Severity, Statistics } from "@smarty/contracts";
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
}

const PHASES = [1, 2, 3] as const;

/** `now`: total power, power per phase (negative = export) and voltage per phase. */
export function formatNow(reading: Reading, receivedAt: number | undefined, ctx: AnswerContext): string {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const net = netPowerKw(reading) ?? 0;
  const at = readingTimeMs(reading) ?? receivedAt;
  let head = `${net < 0 ? "Export" : "Import"} ${formatKw(Math.abs(net))}`;
  if (at !== undefined) head += ` at ${formatClock(at, tz, true)}`;
  const age = receivedAt === undefined ? undefined : ctx.now - receivedAt;
  if (age !== undefined && age > METER_SILENT_AFTER_MS) head += ` (${formatAge(age)} old)`;
  const lines = [head];
  const phases = PHASES.flatMap((n) => {
    const v = netPowerKw(reading, n);
    return v === undefined ? [] : [`L${n} ${formatKw(v).replace(" kW", "")}`];
  });
  if (phases.length > 0) {
    const anyExport = PHASES.some((n) => (netPowerKw(reading, n) ?? 0) < 0);
    lines.push(`${phases.join(" · ")} kW${anyExport ? " (- = export)" : ""}`);
  }
  const volts = phaseNumbers(reading, "voltage_l#_v").flatMap((v) =>
    v === undefined ? [] : [formatVolts(v).replace(" V", "")],
  );
  if (volts.length > 0) lines.push(`Voltage ${volts.join(" · ")} V`);
  return lines.join("\n");
}

export type PeriodQuery = "today" | "yesterday" | "week" | "month";

const TITLES: Readonly<Record<PeriodQuery, string>> = {
  today: "Today",
  yesterday: "Yesterday",
  week: "This week",
  month: "This month",
};
const PREVIOUS: Readonly<Record<Exclude<PeriodQuery, "yesterday">, string>> = {
  today: "Yesterday",
  week: "Last week",
  month: "Last month",
};

/** Below this share of the period, a projection says more about chance than about the household. */
const MIN_PACE_SHARE = 0.1;

function energyLines(p: PeriodStatistics, ctx: AnswerContext): string[] {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const lines: string[] = [];
  let energy = `Import ${p.energy_import_kwh === null ? "-" : formatKwh(p.energy_import_kwh)}`;
  if (p.energy_export_kwh !== null && p.energy_export_kwh > 0) energy += ` · Export ${formatKwh(p.energy_export_kwh)}`;
  lines.push(energy);
  if (p.cost) lines.push(`Cost ${formatMoney(p.cost.total, p.cost.currency)}`);
  if (p.peak_15min_import_kw !== null) {
    const at = p.peak_15min_at === null ? "" : ` at ${formatWhen(Date.parse(p.peak_15min_at), ctx.now, tz)}`;
    lines.push(`Peak ${formatKw(p.peak_15min_import_kw)} (15 min)${at}`);
  }
  return lines;
}

function summary(p: PeriodStatistics): string {
  const parts = [p.energy_import_kwh === null ? "-" : formatKwh(p.energy_import_kwh)];
  if (p.cost) parts.push(formatMoney(p.cost.total, p.cost.currency));
  return parts.join(", ");
}

/**
 * `today`, `yesterday`, `week`, `month`: energy, cost and 15-minute peak, and for a running period the previous
 * one with the pace: the energy so far scaled to the whole period, compared with the previous period's total.
 */
export function formatPeriod(query: PeriodQuery, stats: Statistics | undefined, ctx: AnswerContext): string {
  const tz = ctx.timeZone ?? DEFAULT_TIME_ZONE;
  if (!stats) return "No statistics yet: waiting for meter readings.";
  if (query === "yesterday") {
    const p = stats.previous.day;
    if (!p) return "No data for yesterday.";
    return [`Yesterday (${formatDate(Date.parse(p.start), tz)})`, ...energyLines(p, ctx)].join("\n");
  }
  const kind = query === "today" ? "day" : query;
  const p = stats.current[kind];
  const start = Date.parse(p.start);
  const since = query === "today" ? formatClock(start, tz) : formatDate(start, tz);
  const lines = [`${TITLES[query]} so far (since ${since})`, ...energyLines(p, ctx)];
  const prev = stats.previous[kind];
  if (prev) {
    lines.push(`${PREVIOUS[query]}: ${summary(prev)}`);
    const share = (ctx.now - start) / (Date.parse(p.end) - start);
    if (p.energy_import_kwh !== null && prev.energy_import_kwh !== null && share >= MIN_PACE_SHARE && share < 1) {
      const pace = p.energy_import_kwh / share;
      const change = formatChange(pace, prev.energy_import_kwh);
      lines.push(`At this pace: ${formatKwh(pace)}${change ? ` (${change})` : ""}`);
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
  const lines: string[] = [];
  if (s.meters.length === 0) lines.push("Meter: no reading yet");
  for (const m of s.meters) {
    if (m.receivedAt === undefined) {
      lines.push(`Meter ${m.id}: no reading yet`);
      continue;
    }
    const age = ctx.now - m.receivedAt;
    const state = age <= METER_SILENT_AFTER_MS ? "online" : "SILENT";
    lines.push(`Meter ${m.id}: ${state}, last reading ${formatAge(age)} ago`);
  }
  if (s.ingest.length === 0) lines.push("Ingest: no health report");
  for (const h of s.ingest) {
    let line = `Ingest ${h.instance}: ${h.state}${h.hint ? ` (${h.hint})` : ""}, ${h.frames_ok} frames`;
    if (h.authentication_failures > 0) line += `, ${h.authentication_failures} failed decryptions`;
    lines.push(line);
  }
  lines.push(`Broker: ${s.brokerConnected ? "connected" : "DISCONNECTED"}`);
  let alerts = `Alerts: ${s.activeAlerts} active`;
  if (s.mutedUntil !== null && s.mutedUntil > ctx.now)
    alerts += `, muted until ${formatWhen(s.mutedUntil, ctx.now, tz)}`;
  lines.push(alerts);
  return lines.join("\n");
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** One alert as pushed to the phone: "[critical] Power import above 7 kW (since 12:01)". */
export function formatAlertNotice(alert: Alert, ctx: AnswerContext): string {
  if (alert.state === "cleared") return `[cleared] ${alert.message}`;
  return `[${alert.severity}] ${alert.message} (since ${formatWhen(Date.parse(alert.since), ctx.now, ctx.timeZone)})`;
}

/** `alerts`: the active alerts, most severe first. */
export function formatAlerts(alerts: readonly Alert[], mutedUntil: number | null, ctx: AnswerContext): string {
  const active = alerts
    .filter((a) => a.state === "active")
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || Date.parse(a.since) - Date.parse(b.since));
  const lines = active.length === 0 ? ["No active alerts."] : [`${active.length} active:`];
  for (const a of active) lines.push(`- ${formatAlertNotice(a, ctx)}`);
  if (mutedUntil !== null && mutedUntil > ctx.now) {
    lines.push(`Muted until ${formatWhen(mutedUntil, ctx.now, ctx.timeZone)}.`);
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
): string {
  if (!reading) return "waiting for the meter";
  if (receivedAt !== undefined && now - receivedAt > METER_SILENT_AFTER_MS) return "meter silent";
  if (detail === "coarse") return "meter online";
  const net = netPowerKw(reading) ?? 0;
  return `${Math.abs(net).toFixed(1)} kW ${net < 0 ? "export" : "import"}`;
}
