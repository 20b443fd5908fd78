/**
 * Every PromQL query of every Grafana dashboard, run against a real Prometheus that scrapes the exporter fed with
 * simulated Lux readings through mosquitto, with the recording rules of prometheus/rules loaded. Grafana itself is
 * not available here; this is how we know the panels show data. The notifier's statistics are published retained
 * as it would, so the calendar-period panels have their series. The scrape config is prometheus/prometheus.yml
 * with loopback targets and 1 s intervals.
 *
 * Two meters: METER is built with the p1 encoder to carry every value a Lux meter can send (gas, water and heat
 * channels, a long message), SIMULATED comes from @smarty/simulator (the model behind `smarty simulate`: daily load
 * curve, PV, gas). Every query runs for both.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type PeriodStatistics, type Statistics, topics } from "@smarty/contracts";
import { parseTelegram } from "@smarty/p1";
import { systemClock } from "@smarty/service-kit";
import { MeterSimulator } from "@smarty/simulator";
import { type Mosquitto, type Prometheus, startMosquitto, startPrometheus, waitFor } from "@smarty/testkit";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { goldenHealth } from "../golden-inputs.js";
import { simulatedReading } from "../simulated-reading.js";
import { publisher, publishReading, type RunningExporter, runExporter } from "./harness.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const METER = "SIM0000000000001";
const SIMULATED = "SAG1030700012701";

/** Queries that may be empty on a few seconds of simulated data, and why. Errors still fail. */
const CLOSED_BARS =
  "one bar per closed Luxembourg day or week, read from the history after the step; a few seconds of data have " +
  "none (values are covered by test/grafana/calendar-periods.test.ts)";
const LEGITIMATELY_EMPTY: Record<string, string> = {
  "smarty-energy/Energy per day/A": CLOSED_BARS,
  "smarty-energy/Energy per day/B": CLOSED_BARS,
  "smarty-energy/Cost per day/A": CLOSED_BARS,
  "smarty-energy/Energy per week/A": CLOSED_BARS,
  "smarty-energy/Energy per week/B": CLOSED_BARS,
  "smarty-energy/Energy above the power class per day/A": CLOSED_BARS,
  "smarty-phases/Power failures/B": "long power failures (0-0:96.7.9) are a DSMR register that Lux meters do not send",
};

/** Further empty queries for the @smarty/simulator meter, which models a household with gas only. */
const EMPTY_FOR_SIMULATED: Record<string, string> = {
  "smarty-mbus/Water today/A": "no water meter on the simulated M-Bus",
  "smarty-mbus/Heat today/A": "no heat meter on the simulated M-Bus",
  "smarty-mbus/Water per day/A": "no water meter on the simulated M-Bus",
  "smarty-mbus/Heat per day/A": "no heat meter on the simulated M-Bus",
  "smarty-mbus/Indexes/B": "no heat meter on the simulated M-Bus",
  "smarty-mbus/Channel breaker/A": "the simulator writes no 0-n:96.3.10 line",
  "smarty-phases/Meter messages/A": "the simulated grid operator sends about one message a day",
};

interface Target {
  readonly refId: string;
  readonly expr: string;
}
interface Panel {
  readonly title: string;
  readonly type: string;
  readonly targets?: Target[];
}
interface Dashboard {
  readonly uid: string;
  readonly panels: Panel[];
  readonly templating: { list: { name: string; type: string; query: unknown }[] };
}

function loadDashboards(): Dashboard[] {
  const dir = join(ROOT, "grafana/dashboards");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Dashboard);
}

/** Grafana's variables with the values a user would see: the chosen meter. */
function substitute(expr: string, meter: string): string {
  return expr
    .replaceAll("$__rate_interval", "4s")
    .replaceAll("$__interval", "1s")
    .replaceAll("$__range", "1h")
    .replaceAll("$meter", meter);
}

/** The notifier's retained statistics of a meter, with a closed month (the "last month" stats read it). */
function statisticsOf(meterId: string): Statistics {
  const period = (kind: PeriodStatistics["period"], start: string, end: string): PeriodStatistics => ({
    period: kind,
    start,
    end,
    complete: true,
    energy_import_kwh: 312.5,
    energy_export_kwh: 40.25,
    peak_15min_import_kw: 6.2,
    peak_15min_at: start,
    voltage_min_v: { l1: 228, l2: 229, l3: 230 },
    voltage_max_v: { l1: 236, l2: 237, l3: 238 },
    voltage_sags: 0,
    voltage_swells: 0,
    power_failures: 0,
    power_class_excess_kwh: 1.5,
    mbus: [],
    cost: { currency: "EUR", energy: 91.28, export_credit: 4.03, fixed: 0, power_class: 0.17, total: 87.42 },
    readings: 100,
  });
  const day = period("day", "2026-04-03T00:00:00+02:00", "2026-04-04T00:00:00+02:00");
  return {
    meter_id: meterId,
    updated_at: "2026-04-03T12:00:00+02:00",
    current: {
      day,
      week: period("week", "2026-03-30T00:00:00+02:00", "2026-04-06T00:00:00+02:00"),
      month: period("month", "2026-04-01T00:00:00+02:00", "2026-05-01T00:00:00+02:00"),
    },
    previous: {
      day: null,
      week: null,
      month: period("month", "2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"),
    },
  };
}

/** prometheus/prometheus.yml with loopback targets, 1 s intervals and absolute rule paths. */
function testConfig(exporterPort: number, promPort: number): string {
  const config = parse(readFileSync(join(ROOT, "prometheus/prometheus.yml"), "utf8"));
  config.global = { ...config.global, scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" };
  config.rule_files = [join(ROOT, "prometheus/rules/*.yml")];
  for (const job of config.scrape_configs) {
    job.scrape_interval = "1s";
    const target = job.job_name === "exporter" ? `127.0.0.1:${exporterPort}` : `127.0.0.1:${promPort}`;
    job.static_configs = [{ targets: [target] }];
  }
  return stringify(config);
}

describe("dashboards against a real Prometheus", () => {
  let broker: Mosquitto;
  let pub: MqttClient;
  let run: RunningExporter;
  let prom: Prometheus;
  let feed: ReturnType<typeof setInterval> | undefined;

  beforeAll(async () => {
    broker = await startMosquitto();
    pub = await publisher(broker.url);
    run = await runExporter(broker.url, systemClock, {
      SMARTY_PRICE_PER_KWH: "0.2921",
      SMARTY_EXPORT_PRICE_PER_KWH: "0.1",
    });
    const start = Date.now();
    // One telegram per 500 ms of simulated time, published every 500 ms: telegram time follows the wall clock.
    const simulator = new MeterSimulator({
      seed: 5,
      start: start - (start % 1000),
      intervalMs: 500,
      meterId: SIMULATED,
    });
    const publishAll = async () => {
      const now = Date.now();
      const elapsedS = Math.round((now - start) / 1000);
      await publishReading(
        pub,
        simulatedReading({ meterId: METER, timeMs: now, elapsedS, longMessage: "Test message" }),
      );
      await publishReading(pub, parseTelegram(simulator.next().telegram));
    };
    await publishAll();
    feed = setInterval(() => void publishAll().catch(() => undefined), 500);
    await pub.publishAsync(topics.health("smarty", "ingest", "main"), goldenHealth(), { qos: 1, retain: true });
    await pub.publishAsync(topics.status("smarty", "ingest", "main"), "online", { qos: 1, retain: true });
    for (const id of [METER, SIMULATED]) {
      await pub.publishAsync(topics.statistics("smarty", id), JSON.stringify(statisticsOf(id)), {
        qos: 1,
        retain: true,
      });
    }
    prom = await startPrometheus({ config: (port) => testConfig(run.exporter.http.boundPort, port) });
  });

  afterAll(async () => {
    if (feed) clearInterval(feed);
    await prom?.stop();
    await run?.stop();
    await pub?.endAsync();
    await broker?.stop();
  });

  it("offers the simulated meters in the meter variable", async () => {
    await prom.waitForSample("smarty_meter_info", 20_000);
    const res = await fetch(`${prom.url}/api/v1/label/meter/values?match[]=smarty_meter_info`);
    const body = (await res.json()) as { data: string[] };
    expect(body.data).toEqual([SIMULATED, METER]);
  });

  it("returns data for every panel query", async () => {
    const dashboards = loadDashboards();
    expect(dashboards.map((d) => d.uid).sort()).toEqual([
      "smarty-energy",
      "smarty-kiosk",
      "smarty-mbus",
      "smarty-overview",
      "smarty-phases",
      "smarty-system",
    ]);
    const queries = [METER, SIMULATED].flatMap((meter) =>
      dashboards.flatMap((d) =>
        d.panels.flatMap((p) =>
          (p.targets ?? []).map((t) => {
            const key = `${d.uid}/${p.title}/${t.refId}`;
            const allowed = key in LEGITIMATELY_EMPTY || (meter === SIMULATED && key in EMPTY_FOR_SIMULATED);
            return { key, meter, allowed, expr: substitute(t.expr, meter) };
          }),
        ),
      ),
    );
    for (const q of queries) expect(q.expr, q.key).not.toContain("$");
    const keys = new Set(queries.map((q) => q.key));
    for (const key of [...Object.keys(LEGITIMATELY_EMPTY), ...Object.keys(EMPTY_FOR_SIMULATED)]) {
      expect(keys, "an allowed-empty entry names a query that no longer exists").toContain(key);
    }

    const empties = async () => {
      const empty: string[] = [];
      for (const q of queries) {
        const r = await prom.query(q.expr); // a PromQL error throws and fails the test
        if (!q.allowed && Array.isArray(r.result) && r.result.length === 0) empty.push(`${q.meter}: ${q.key}`);
      }
      return empty;
    };
    // Recording rules need two scrapes and one evaluation after the first sample: poll, then report what is empty.
    let empty: string[] = [];
    await waitFor(
      async () => {
        empty = await empties();
        return empty.length === 0;
      },
      30_000,
      "every panel to have data",
      1000,
    ).catch(() => undefined);
    expect(empty).toEqual([]);
    expect(queries.length).toBeGreaterThan(160);
  });
});
