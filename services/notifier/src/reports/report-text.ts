/**
 * The words of a report: plain text (what a phone shows first), the same as an HTML table with the chart, and
 * the CSV of the period's hourly energy. Numbers keep the meter's resolution (Wh, 0.1 V, cents). Headings, dates
 * and decimal marks are in the household's language (SMARTY_LANGUAGE, @smarty/i18n); the CSV stays machine-readable
 * (ISO times, decimal point) in every language.
 */
import type { PeriodKind, PeriodStatistics } from "@smarty/contracts";
import { formatDate, formatMonthYear, formatNumber, type Language, type Translate, translator } from "@smarty/i18n";
import { isoLocal, isoWeek, localClock, localTime, periodLabel } from "../calendar.js";
import type { ReportData } from "./report-data.js";

const MEDIA = new Set(["gas", "water", "heat", "warm_water", "cooling"]);

/** `+7.3 %` against the previous value; empty when there is nothing to compare. */
function change(lang: Language, now: number | null | undefined, before: number | null | undefined): string {
  if (now == null || before == null) return "";
  if (before === 0) return now === 0 ? " (±0 %)" : "";
  const pct = ((now - before) / before) * 100;
  return ` (${pct >= 0 ? "+" : "−"}${formatNumber(lang, Math.abs(pct), 1)} %)`;
}

function peakWhen(t: Translate, p: PeriodStatistics, kind: ReportData["kind"]): string {
  if (!p.peak_15min_at) return "";
  const ms = Date.parse(p.peak_15min_at);
  const lt = localTime(ms);
  const date = kind === "day" ? "" : `${String(lt.day).padStart(2, "0")}.${String(lt.month).padStart(2, "0")}. `;
  return ` ${t("report.at", { when: `${date}${localClock(ms)}` })}`;
}

/** The period as people name it: "10 mars 2026", "KW 11/2026", "Mäerz 2026"; English keeps the ISO label. */
export function periodName(lang: Language, kind: PeriodKind, start: number): string {
  if (lang === "en") return periodLabel(kind, start);
  const lt = localTime(start);
  if (kind === "day") return formatDate(lang, lt.year, lt.month, lt.day);
  if (kind === "month") return formatMonthYear(lang, lt.year, lt.month);
  const w = isoWeek(lt.year, lt.month, lt.day);
  return translator(lang)("report.week", { week: String(w.week).padStart(2, "0"), year: w.year });
}

/** The report's lines as label/value pairs (text and HTML share them). */
export function reportRows(d: ReportData, lang: Language = "en"): [string, string][] {
  const t = translator(lang);
  const n = (x: number, decimals: number) => formatNumber(lang, x, decimals);
  const kwh = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${n(x, 3)} kWh`);
  const p = d.period;
  const prev = d.previous;
  const rows: [string, string][] = [
    [t("report.imported"), `${kwh(p.energy_import_kwh)}${change(lang, p.energy_import_kwh, prev?.energy_import_kwh)}`],
    [`  ${t(`report.previous.${d.kind}`)}`, kwh(prev?.energy_import_kwh)],
    [t("report.exported"), `${kwh(p.energy_export_kwh)}${change(lang, p.energy_export_kwh, prev?.energy_export_kwh)}`],
    [
      t("report.peak"),
      p.peak_15min_import_kw === null ? "–" : `${n(p.peak_15min_import_kw, 3)} kW${peakWhen(t, p, d.kind)}`,
    ],
  ];
  // The always-on power, where saving starts (docs/notifier.md, "Baseload"); a week's or month's is a median of days.
  const base = p.baseload_w ?? null;
  const baseNote = d.kind === "day" ? "" : t("report.baseload.median");
  rows.push([
    t("report.baseload"),
    base === null ? "–" : `${n(base, 0)} W${baseNote}${change(lang, base, prev?.baseload_w)}`,
  ]);
  (["l1", "l2", "l3"] as const).forEach((ph, i) => {
    const lo = p.voltage_min_v[ph];
    const hi = p.voltage_max_v[ph];
    if (lo !== null && hi !== null) rows.push([t("report.voltage", { n: i + 1 }), `${n(lo, 1)} – ${n(hi, 1)} V`]);
  });
  rows.push([
    t("report.events"),
    [p.power_failures, p.voltage_sags, p.voltage_swells].map((x) => (x === null ? "–" : String(x))).join(" / "),
  ]);
  for (const m of p.mbus) {
    const before = prev?.mbus.find((x) => x.channel === m.channel)?.consumption;
    const medium = MEDIA.has(m.medium)
      ? t(`common.medium.${m.medium}` as "common.medium.gas")
      : `${m.medium[0]?.toUpperCase()}${m.medium.slice(1)}`;
    rows.push([
      t("report.mbus", { medium, n: m.channel }),
      `${n(m.consumption, 3)} ${m.unit}${change(lang, m.consumption, before)}`,
    ]);
  }
  if (p.power_class_excess_kwh !== null) rows.push([t("report.above_class"), kwh(p.power_class_excess_kwh)]);
  if (p.cost) {
    const c = p.cost;
    const parts = t("report.cost.parts", {
      energy: n(c.energy, 2),
      credit: n(c.export_credit, 2),
      fixed: n(c.fixed, 2),
      power_class: n(c.power_class, 2),
    });
    rows.push([
      t("report.cost"),
      `${n(c.total, 2)} ${c.currency}${change(lang, c.total, prev?.cost?.total)} (${parts})`,
    ]);
  }
  const first = p.first_reading_at ? localClock(Date.parse(p.first_reading_at)) : "–";
  const last = p.last_reading_at ? localClock(Date.parse(p.last_reading_at)) : "–";
  rows.push([t("report.readings"), t("report.readings.value", { n: p.readings, first, last })]);
  return rows;
}

export function reportSubject(d: ReportData, lang: Language = "en"): string {
  return translator(lang)(`report.subject.${d.kind}`, { period: periodName(lang, d.kind, d.start) });
}

function heading(d: ReportData, lang: Language): string {
  const t = translator(lang);
  const state = d.period.complete
    ? t("report.state.complete")
    : t("report.state.so_far", {
        time: d.period.last_reading_at ? localClock(Date.parse(d.period.last_reading_at)) : t("report.state.now"),
      });
  return t("report.heading", { subject: reportSubject(d, lang), meter: d.meterId, state });
}

export function reportTextBody(d: ReportData, lang: Language = "en"): string {
  const rows = reportRows(d, lang);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  return `${heading(d, lang)}\n\n${lines.join("\n")}\n\n${translator(lang)("report.attached")}\n`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function reportHtmlBody(d: ReportData, lang: Language = "en"): string {
  const t = translator(lang);
  const rows = reportRows(d, lang)
    .map(([k, v]) => `<tr><th style="text-align:left;padding-right:1em">${esc(k.trim())}</th><td>${esc(v)}</td></tr>`)
    .join("\n");
  return `<!doctype html><html lang="${lang}"><body style="font-family:sans-serif">
<h2 style="font-size:1.1em">${esc(heading(d, lang))}</h2>
<table>
${rows}
</table>
<p><img src="cid:chart.png" alt="${esc(t(d.kind === "day" ? "report.chart.hour" : "report.chart.day"))}" width="480" height="160"></p>
</body></html>
`;
}

/** CSV of the hourly energy: `hour_start,import_kwh,export_kwh`, local ISO times, empty where unknown. */
export function hourlyCsv(d: ReportData): string {
  const lines = ["hour_start,import_kwh,export_kwh"];
  for (const h of d.hours) {
    lines.push(`${isoLocal(h.start)},${h.import_kwh?.toFixed(3) ?? ""},${h.export_kwh?.toFixed(3) ?? ""}`);
  }
  return `${lines.join("\r\n")}\r\n`;
}
