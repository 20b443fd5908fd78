/**
 * Grafana's daily, weekly and monthly figures are Luxembourg calendar periods and equal the notifier's statistics,
 * across the 25-hour 2026-10-25. Real services on real daemons: the notifier (statistics in redis-server) and the
 * exporter, both built in-process on one ManualClock, talk over mosquitto exactly as in production; readings are
 * published with meter times from 2026-10-01 to 2026-11-02 (helpers/meter-model.ts).
 *
 * Getting a month of history into Prometheus: Prometheus scrapes "now", so it cannot scrape October. After each
 * reading has gone through the notifier and its statistics have reached the exporter, the test fetches the
 * exporter's real /metrics and keeps it with the reading's time; the scrapes become TSDB blocks through
 * `promtool tsdb create-blocks-from openmetrics` (helpers/history.ts), and a real Prometheus starts on them. The
 * panels' queries are read from the generated dashboard JSON, not copied, and sent as Grafana sends them: range
 * queries aligned to the step in the dashboard's time zone (UTC+1, UTC+2, and a UTC browser), stat queries at one
 * instant. Every bar and stat must match the register difference of its local period within 1 Wh (and the cost
 * the notifier's total within a cent). Samples exist only at reading times (every 15 minutes to 3 hours, not every
 * 10 s), so instant queries are asked at reading times.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { topics } from "@smarty/contracts";
import { createExporter, loadExporterConfig } from "@smarty/exporter";
import { createNotifier, loadNotifierConfig } from "@smarty/notifier";
import { ManualClock, silentLogger, startAll, stopAll } from "@smarty/service-kit";
import {
  type Mosquitto,
  type Prometheus,
  type RedisServer,
  startMosquitto,
  startPrometheus,
  startRedis,
  tempDir,
  waitFor,
} from "@smarty/testkit";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grafanaRange, History, instantValue } from "./helpers/history.js";
import * as model from "./helpers/meter-model.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BASE = "smarty";
const H = 3_600_000;
const { METER } = model;
const meter = model.meterSamples();

interface Panel {
  title: string;
  targets: { refId: string; expr: string }[];
}
const panels = (file: string) =>
  (JSON.parse(readFileSync(join(ROOT, "grafana/dashboards", `${file}.json`), "utf8")) as { panels: Panel[] }).panels;
/** The query of panel `title`, target `refId`, with the meter chosen and `$__range` as Grafana would set it. */
function query(file: string, title: string, refId = "A", rangeS?: number): string {
  const t = panels(file)
    .find((p) => p.title === title)
    ?.targets.find((x) => x.refId === refId);
  if (!t) throw new Error(`${file}: no panel ${title}/${refId}`);
  return t.expr.replaceAll("$meter", METER).replaceAll("$__range", `${rangeS ?? 3600}s`);
}

let broker: Mosquitto;
let redis: RedisServer;
let prom: Prometheus;

beforeAll(async () => {
  [broker, redis] = await Promise.all([startMosquitto(), startRedis()]);
  const dir = tempDir("calendar");
  const rules = join(dir.path, "notifier.yml");
  // The rule file keeps only what is not a price: the power class and its excess price, and a 15-minute gap.
  writeFileSync(
    rules,
    `tariff: {power_class: {kw: ${model.CLASS_KW}, excess_per_kwh: ${model.EXCESS_PRICE}}}\n` +
      "statistics: {max_gap: 15m}\nreports: {day: {enabled: false}, week: {enabled: false}, month: {enabled: false}}\n",
  );
  const prices = { SMARTY_PRICE_PER_KWH: String(model.PRICE), SMARTY_EXPORT_PRICE_PER_KWH: String(model.EXPORT_PRICE) };
  const clock = new ManualClock(model.OCT_1 - H);
  const logger = silentLogger();
  const notifier = await createNotifier(
    loadNotifierConfig({
      MQTT_URL: broker.url,
      REDIS_URL: redis.url,
      NOTIFIER_REDIS_PREFIX: `cal${randomUUID()}:`,
      NOTIFIER_CONFIG: rules,
      NOTIFIER_CLOCK_TOLERANCE: "0",
      LOG_LEVEL: "silent",
      ...prices,
    }),
    { logger, clock, mqttClientId: `notifier-${randomUUID()}` },
  );
  const exporter = createExporter(
    loadExporterConfig({ MQTT_URL: broker.url, EXPORTER_PORT: "0", EXPORTER_HOST: "127.0.0.1", ...prices }),
    { logger, clock, defaultMetrics: false },
  );
  const pub = await mqtt.connectAsync(broker.url, { clientId: `meter-${randomUUID()}` });
  const history = new History((name) => /^smarty_(statistics_|price_|energy_(im|ex)ported_joules_total)/.test(name));
  try {
    await startAll([...notifier.components, ...exporter.components], logger);
    await notifier.core.whenSubscribed();
    await exporter.subscriber.whenSubscribed();
    for (const s of meter.samples) {
      clock.set(s.t);
      await pub.publishAsync(topics.reading(BASE, METER), JSON.stringify(model.readingAt(s)), { qos: 1 });
      // The notifier folded the reading in and its statistics reached the exporter.
      await waitFor(
        () => {
          for (const st of exporter.statistics.all()) {
            if (Date.parse(st.current.day.last_reading_at ?? "") === s.t) return true;
          }
          return undefined;
        },
        10_000,
        `statistics of ${new Date(s.t).toISOString()} at the exporter`,
        2,
      );
      history.add(s.t, await (await fetch(`http://127.0.0.1:${exporter.http.boundPort}/metrics`)).text());
    }
  } finally {
    await stopAll([...exporter.components, ...notifier.components], logger);
    await pub.endAsync();
    dir.remove();
  }
  prom = await startPrometheus({
    config: "global: {scrape_interval: 1h}\nscrape_configs: []\n",
    args: ["--storage.tsdb.retention.time=100y"],
    seed: (path) => history.backfill(path),
  });
}, 300_000);

afterAll(async () => {
  await prom?.stop();
  await Promise.all([broker?.stop(), redis?.stop()]);
});

/** Bars of a range query keyed by the local period start they stand for (the start nearest to the bar). */
async function bars(expr: string, stepS: number, offsetS: number, starts: number[], shiftMs = 0) {
  const r = await grafanaRange(prom, expr, model.OCT_1 - 2 * 86_400_000, model.NOV_1 + 3 * 86_400_000, stepS, offsetS);
  expect(r.length, expr).toBe(1);
  const out = new Map<number, number>();
  for (const [ts, v] of r[0]?.values ?? []) {
    const start = starts.find((s) => Math.abs(ts * 1000 + shiftMs - s) <= 3 * H);
    expect(start, `a bar at ${new Date(ts * 1000).toISOString()} that is no period start`).toBeDefined();
    expect(out.has(start as number), "two bars for one period").toBe(false);
    out.set(start as number, Number(v));
  }
  return out;
}

const DAYS = model.DAY_STARTS.slice(0, -1).map((start, i) => ({ start, end: model.DAY_STARTS[i + 1] as number }));
const DST_DAY = model.localMidnight(10, 25);
const OFFSETS = [3600, 7200, 0];

describe("calendar periods in Grafana", () => {
  it("has 25 hours on 2026-10-25 in the model", () => {
    expect((model.localMidnight(10, 26) - DST_DAY) / H).toBe(25);
  });

  it.each(OFFSETS)("shows one bar per local day equal to its register difference (UTC offset %i s)", async (off) => {
    const imported = await bars(query("energy", "Energy per day", "A"), 86_400, off, model.DAY_STARTS);
    const exported = await bars(query("energy", "Energy per day", "B"), 86_400, off, model.DAY_STARTS);
    const cost = await bars(query("energy", "Cost per day"), 86_400, off, model.DAY_STARTS);
    const excess = await bars(query("energy", "Energy above the power class per day"), 86_400, off, model.DAY_STARTS);
    // Every closed day from Oct 1 to Nov 1 has its bar; Nov 2 is still running and has none.
    expect([...imported.keys()].sort()).toEqual(DAYS.map((d) => d.start));
    for (const d of DAYS) {
      const f = model.figures(meter, d.start, d.end);
      const day = new Date(d.start + 3 * H).toISOString().slice(0, 10);
      expect(Math.abs((imported.get(d.start) ?? Number.NaN) - f.importKwh), `import ${day}`).toBeLessThan(0.001);
      expect(Math.abs((exported.get(d.start) ?? Number.NaN) - f.exportKwh), `export ${day}`).toBeLessThan(0.001);
      expect(Math.abs((excess.get(d.start) ?? Number.NaN) - f.excessKwh), `excess ${day}`).toBeLessThan(0.001);
      expect(cost.get(d.start), `cost ${day}`).toBeCloseTo(f.cost, 2);
    }
    // The 25-hour day is not a 24-hour window: its bar holds the extra hour.
    const dst = model.figures(meter, DST_DAY, model.localMidnight(10, 26));
    expect(imported.get(DST_DAY)).toBeCloseTo(dst.importKwh, 3);
    expect(dst.excessKwh).toBeGreaterThan(0);
  });

  it.each(OFFSETS)("shows one bar per Monday-to-Sunday week (UTC offset %i s)", async (off) => {
    const mondays = [5, 12, 19, 26].map((d) => model.localMidnight(10, d));
    // Bars stand on the Thursday of their week: 3 days after the Monday. The week of Sep 28 closed too, but the
    // readings start on Oct 1, so only its bar's place is checked.
    const starts = [model.localMidnight(9, 28), ...mondays];
    const weeks = await bars(query("energy", "Energy per week", "A"), 7 * 86_400, off, starts, -3 * 86_400_000);
    expect([...weeks.keys()]).toEqual(starts);
    const ends = [12, 19, 26].map((d) => model.localMidnight(10, d)).concat(model.localMidnight(11, 2));
    for (const [i, monday] of mondays.entries()) {
      const f = model.figures(meter, monday, ends[i] as number);
      expect(Math.abs((weeks.get(monday) ?? Number.NaN) - f.importKwh)).toBeLessThan(0.001);
    }
  });

  it("shows last month, from the first reading of November on", async () => {
    const at = meter.samples.find((x) => x.t > model.NOV_1)?.t as number;
    const f = model.figures(meter, model.OCT_1, model.NOV_1);
    const v = (title: string) => instantValue(prom, query("energy", title), at);
    expect(Math.abs(((await v("Imported last month")) ?? Number.NaN) - f.importKwh)).toBeLessThan(0.001);
    expect(Math.abs(((await v("Exported last month")) ?? Number.NaN) - f.exportKwh)).toBeLessThan(0.001);
    expect(await v("Cost last month")).toBeCloseTo(f.cost, 2);
    expect(await v("Export credit last month")).toBeCloseTo(f.exportKwh * model.EXPORT_PRICE, 2);
    expect(await v("Peak 15 minutes last month")).toBe(f.peakW);
  });

  it("shows today and this month so far on every dashboard", async () => {
    const at = DST_DAY + 22 * H; // 21:00 CET on the 25-hour day, a reading time
    const today = model.figures(meter, DST_DAY, at);
    const month = model.figures(meter, model.OCT_1, at);
    const cases: [string, string, number, number][] = [
      ["overview", "Imported today", today.importKwh, 0.001],
      ["overview", "Exported today", today.exportKwh, 0.001],
      ["overview", "Imported this month", month.importKwh, 0.001],
      ["overview", "Exported this month", month.exportKwh, 0.001],
      ["energy", "Imported this month", month.importKwh, 0.001],
      ["energy", "Cost today", today.cost, 0.006],
      ["energy", "Cost this month", month.cost, 0.006],
      ["energy", "Export credit today", today.exportKwh * model.EXPORT_PRICE, 0.006],
      ["kiosk", "Used today", today.importKwh, 0.001],
      ["kiosk", "Given back today", today.exportKwh, 0.001],
      ["kiosk", "Cost today", today.cost, 0.006],
    ];
    for (const [file, title, expected, tolerance] of cases) {
      const got = await instantValue(prom, query(file, title), at);
      expect(Math.abs((got ?? Number.NaN) - expected), `${file}/${title}`).toBeLessThan(tolerance);
    }
  });

  it("prices energy with the one price metric when the notifier has no statistics", async () => {
    // The fallback half of "Cost today", over the whole 25-hour day (samples at both ends: no extrapolation).
    const expr = query("energy", "Cost today", "A", 25 * 3600);
    expect(expr).toContain("smarty_price_imported_euros_per_joule");
    const fallback = expr.split(" or on (meter) ")[1] as string;
    const f = model.figures(meter, DST_DAY, model.localMidnight(10, 26));
    const got = await instantValue(prom, fallback, model.localMidnight(10, 26));
    expect(got).toBeCloseTo(f.importKwh * model.PRICE, 6);
  });
});
