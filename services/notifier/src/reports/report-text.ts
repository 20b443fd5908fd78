/**
 * The words of a report: plain text (what a phone shows first), the same as an HTML table with the chart, and
 * the CSV of the period's hourly energy. Numbers keep the meter's resolution (Wh, 0.1 V, cents).
 */
import type { PeriodStatistics } from "@smarty/contracts";
import { isoLocal, localClock, localTime, periodLabel } from "../calendar.js";
import type { ReportData } from "./report-data.js";

const KIND_WORD = { day: "day", week: "week", month: "month" } as const;

const kwh = (x: number | null | undefined) => (x === null || x === undefined ? "–" : `${x.toFixed(3)} kWh`);

/** `+7.3 %` against the previous value; empty when there is nothing to compare. */
function change(now: number | null | undefined, before: number | null | undefined): string {
  if (now == null || before == null) return "";
  if (before === 0) return now === 0 ? " (±0 %)" : "";
  const pct = ((now - before) / before) * 100;
  return ` (${pct >= 0 ? "+" : "−"}${Math.abs(pct).toFixed(1)} %)`;
}

function peakWhen(p: PeriodStatistics, kind: ReportData["kind"]): string {
  if (!p.peak_15min_at) return "";
  const t = Date.parse(p.peak_15min_at);
  const lt = localTime(t);
  const date = kind === "day" ? "" : `${String(lt.day).padStart(2, "0")}.${String(lt.month).padStart(2, "0")}. `;
  return ` at ${date}${localClock(t)}`;
}

/** The report's lines as label/value pairs (text and HTML share them). */
export function reportRows(d: ReportData): [string, string][] {
  const p = d.period;
  const prev = d.previous;
  const w = KIND_WORD[d.kind];
  const rows: [string, string][] = [
    ["Energy imported", `${kwh(p.energy_import_kwh)}${change(p.energy_import_kwh, prev?.energy_import_kwh)}`],
    [`  previous ${w}`, kwh(prev?.energy_import_kwh)],
    ["Energy exported", `${kwh(p.energy_export_kwh)}${change(p.energy_export_kwh, prev?.energy_export_kwh)}`],
    [
      "Peak 15-minute import",
      p.peak_15min_import_kw === null ? "–" : `${p.peak_15min_import_kw.toFixed(3)} kW${peakWhen(p, d.kind)}`,
    ],
  ];
  // The always-on power, where saving starts (docs/notifier.md, "Baseload"); a week's or month's is a median of days.
  const base = p.baseload_w ?? null;
  const baseNote = d.kind === "day" ? "" : " (median of the days)";
  rows.push(["Baseload (always on)", base === null ? "–" : `${base} W${baseNote}${change(base, prev?.baseload_w)}`]);
  (["l1", "l2", "l3"] as const).forEach((ph, i) => {
    const lo = p.voltage_min_v[ph];
    const hi = p.voltage_max_v[ph];
    if (lo !== null && hi !== null) rows.push([`Voltage L${i + 1}`, `${lo.toFixed(1)} – ${hi.toFixed(1)} V`]);
  });
  rows.push([
    "Power failures / sags / swells",
    [p.power_failures, p.voltage_sags, p.voltage_swells].map((n) => (n === null ? "–" : String(n))).join(" / "),
  ]);
  for (const m of p.mbus) {
    const before = prev?.mbus.find((x) => x.channel === m.channel)?.consumption;
    rows.push([
      `${m.medium[0]?.toUpperCase()}${m.medium.slice(1)} (M-Bus ${m.channel})`,
      `${m.consumption.toFixed(3)} ${m.unit}${change(m.consumption, before)}`,
    ]);
  }
  if (p.power_class_excess_kwh !== null) rows.push(["Above the power class", kwh(p.power_class_excess_kwh)]);
  if (p.cost) {
    const c = p.cost;
    const parts = `energy ${c.energy.toFixed(2)}, export credit −${c.export_credit.toFixed(2)}, fixed ${c.fixed.toFixed(2)}, power class ${c.power_class.toFixed(2)}`;
    rows.push(["Cost", `${c.total.toFixed(2)} ${c.currency}${change(c.total, prev?.cost?.total)} (${parts})`]);
  }
  const first = p.first_reading_at ? localClock(Date.parse(p.first_reading_at)) : "–";
  const last = p.last_reading_at ? localClock(Date.parse(p.last_reading_at)) : "–";
  rows.push(["Readings", `${p.readings} (first ${first}, last ${last})`]);
  return rows;
}

export function reportSubject(d: ReportData): string {
  return `Smarty ${KIND_WORD[d.kind]} report ${periodLabel(d.kind, d.start)}`;
}

function heading(d: ReportData): string {
  const state = d.period.complete
    ? "complete"
    : `so far (until ${d.period.last_reading_at ? localClock(Date.parse(d.period.last_reading_at)) : "now"})`;
  return `${reportSubject(d)} · meter ${d.meterId} · ${state}`;
}

export function reportTextBody(d: ReportData): string {
  const rows = reportRows(d);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  return `${heading(d)}\n\n${lines.join("\n")}\n\nAttached: chart.png (imported energy), hourly.csv.\n`;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function reportHtmlBody(d: ReportData): string {
  const rows = reportRows(d)
    .map(([k, v]) => `<tr><th style="text-align:left;padding-right:1em">${esc(k.trim())}</th><td>${esc(v)}</td></tr>`)
    .join("\n");
  return `<!doctype html><html><body style="font-family:sans-serif">
<h2 style="font-size:1.1em">${esc(heading(d))}</h2>
<table>
${rows}
</table>
<p><img src="cid:chart.png" alt="Imported energy per ${d.kind === "day" ? "hour" : "day"}" width="480" height="160"></p>
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
