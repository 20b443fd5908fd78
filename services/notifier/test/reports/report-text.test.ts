import type { PeriodStatistics } from "@smarty/contracts";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { barChartPng, CHART_HEIGHT, CHART_WIDTH } from "../../src/reports/chart-png.js";
import type { ReportData } from "../../src/reports/report-data.js";
import { hourlyCsv, reportHtmlBody, reportSubject, reportTextBody } from "../../src/reports/report-text.js";
import { monthShare } from "../../src/statistics/tariff.js";

const utc = (s: string) => Date.parse(s);

function period(over: Partial<PeriodStatistics>): PeriodStatistics {
  return {
    period: "day",
    start: "2026-03-10T00:00:00+01:00",
    end: "2026-03-11T00:00:00+01:00",
    complete: true,
    energy_import_kwh: 12.5,
    energy_export_kwh: 1.25,
    peak_15min_import_kw: 3.2,
    peak_15min_at: "2026-03-10T19:00:00+01:00",
    voltage_min_v: { l1: 215, l2: 229.5, l3: null },
    voltage_max_v: { l1: 240.5, l2: 233, l3: null },
    voltage_sags: 2,
    voltage_swells: 0,
    power_failures: 1,
    power_class_excess_kwh: 0.05,
    mbus: [{ channel: 1, medium: "gas", consumption: 2.345, unit: "m3" }],
    cost: { currency: "EUR", energy: 2.5, export_credit: 0.13, fixed: 0.1, power_class: 0.01, total: 2.48 },
    readings: 8640,
    first_reading_at: "2026-03-10T00:00:00+01:00",
    last_reading_at: "2026-03-10T23:59:50+01:00",
    ...over,
  };
}

const data: ReportData = {
  meterId: "SAG1030790002574",
  kind: "day",
  start: utc("2026-03-09T23:00:00Z"),
  end: utc("2026-03-10T23:00:00Z"),
  period: period({}),
  previous: period({
    energy_import_kwh: 10,
    cost: { currency: "EUR", energy: 2, export_credit: 0, fixed: 0.1, power_class: 0, total: 2.1 },
  }),
  hours: [
    { start: utc("2026-03-09T23:00:00Z"), import_kwh: 0.5, export_kwh: 0 },
    { start: utc("2026-03-10T00:00:00Z"), import_kwh: null, export_kwh: null },
  ],
  days: [],
};

describe("report text", () => {
  it("shows the values with the comparison to the previous period", () => {
    const text = reportTextBody(data);
    expect(text.split("\n")[0]).toBe("Smarty day report 2026-03-10 · meter SAG1030790002574 · complete");
    expect(text).toMatch(/Energy imported\s+12\.500 kWh \(\+25\.0 %\)/);
    expect(text).toMatch(/previous day\s+10\.000 kWh/);
    expect(text).toMatch(/Peak 15-minute import\s+3\.200 kW at 19:00/);
    expect(text).toMatch(/Voltage L1\s+215\.0 – 240\.5 V/);
    expect(text).not.toContain("Voltage L3");
    expect(text).toMatch(/Power failures \/ sags \/ swells\s+1 \/ 2 \/ 0/);
    expect(text).toMatch(/Gas \(M-Bus 1\)\s+2\.345 m3/);
    expect(text).toMatch(
      /Cost\s+2\.48 EUR \(\+18\.1 %\) \(energy 2\.50, export credit −0\.13, fixed 0\.10, power class 0\.01\)/,
    );
  });

  it("shows the baseload with the change against the previous period, and a dash when unknown", () => {
    const withBase = { ...data, period: period({ baseload_w: 230 }), previous: period({ baseload_w: 200 }) };
    expect(reportTextBody(withBase)).toMatch(/Baseload \(always on\)\s+230 W \(\+15\.0 %\)\n/);
    expect(reportHtmlBody(withBase)).toContain(
      '<th style="text-align:left;padding-right:1em">Baseload (always on)</th><td>230 W (+15.0 %)</td>',
    );
    const week = { ...data, kind: "week" as const, period: period({ period: "week", baseload_w: 230 }) };
    expect(reportTextBody(week)).toMatch(/Baseload \(always on\)\s+230 W \(median of the days\)/);
    expect(reportTextBody(data)).toMatch(/Baseload \(always on\)\s+–\n/);
  });

  it("escapes HTML and refers to the chart by content id", () => {
    const html = reportHtmlBody({ ...data, meterId: "<b>" });
    expect(html).toContain("meter &lt;b&gt;");
    expect(html).toContain('src="cid:chart.png"');
  });

  it("writes the hourly CSV with empty cells for unknown hours", () => {
    expect(hourlyCsv(data)).toBe(
      "hour_start,import_kwh,export_kwh\r\n2026-03-10T00:00:00+01:00,0.500,0.000\r\n2026-03-10T01:00:00+01:00,,\r\n",
    );
  });

  it("draws a PNG bar chart with the highest bar at full height", () => {
    const png = PNG.sync.read(barChartPng([1, 2, null, 4]));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    const px = (x: number, y: number) => [...png.data.subarray((png.width * y + x) * 4, (png.width * y + x) * 4 + 3)];
    const barX = Math.round(8 + 3.5 * ((CHART_WIDTH - 16) / 4));
    expect(px(barX, 10)).toEqual([38, 110, 184]); // the 4th bar reaches the top
    expect(px(Math.round(8 + 0.5 * ((CHART_WIDTH - 16) / 4)), 60)).toEqual([255, 255, 255]); // the 1st does not
  });

  it("shares a monthly fee over the days of each month a week touches", () => {
    // Week of 2026-03-30: two March days (of 31) and five April days (of 30).
    const share = monthShare(utc("2026-03-29T22:00:00Z"), utc("2026-04-05T22:00:00Z"));
    expect(share).toBeCloseTo(2 / 31 + 5 / 30, 12);
  });
});

describe("report text in the household's language", () => {
  it("fr: French headings, decimal comma and the date as written in French", () => {
    const text = reportTextBody(data, "fr");
    expect(text.split("\n")[0]).toBe("Smarty : bilan du 10 mars 2026 · compteur SAG1030790002574 · complet");
    expect(text).toMatch(/Consommation\s+12,500 kWh \(\+25,0 %\)/);
    expect(text).toMatch(/jour précédent\s+10,000 kWh/);
    expect(text).toMatch(/Pointe sur 15 minutes\s+3,200 kW à 19:00/);
    expect(text).toMatch(/Tension L1\s+215,0 – 240,5 V/);
    expect(text).toMatch(/Gaz \(M-Bus 1\)\s+2,345 m3/);
    expect(text).toMatch(
      /Coût\s+2,48 EUR \(\+18,1 %\) \(énergie 2,50, injection −0,13, frais fixes 0,10, puissance 0,01\)/,
    );
    expect(reportSubject(data, "fr")).toBe("Smarty : bilan du 10 mars 2026");
  });

  it("lb and de: the month in Luxembourgish and German", () => {
    const month = { ...data, kind: "month" as const, start: utc("2026-02-28T23:00:00Z") };
    expect(reportSubject(month, "lb")).toBe("Smarty-Bericht Mäerz 2026");
    expect(reportSubject(month, "de")).toBe("Smarty-Bericht März 2026");
    expect(reportTextBody(data, "lb")).toMatch(/Käschten\s+2,48 EUR/);
    expect(reportHtmlBody(data, "de")).toContain('<th style="text-align:left;padding-right:1em">Verbrauch</th>');
  });
});
