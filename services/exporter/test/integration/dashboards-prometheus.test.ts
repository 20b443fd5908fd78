/**
 * Every PromQL query of every Grafana dashboard, run against a real Prometheus that scrapes the exporter fed with
 * simulated Lux readings through mosquitto, with the recording rules of prometheus/rules loaded. Grafana itself is
 * not available here; this is how we know the panels show data. The scrape config is prometheus/prometheus.yml
 * with loopback targets and 1 s intervals.
 *
 * Two meters: METER is built with the p1 encoder to carry every value a Lux meter can send (gas, water and heat
 * channels, a long message), SIMULATED comes from @smarty/simulator (the model behind `smarty simulate`: daily load
 * curve, PV, gas). Every query runs for both.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { topics } from "@smarty/contracts";
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
const LEGITIMATELY_EMPTY: Record<string, string> = {
  "smarty-energy/Energy above the power class per day/A":
    "sums quarter-hour steps aligned to the clock; a few seconds of data rarely contain a quarter-hour boundary " +
    "(values are covered by promtool test rules)",
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

/** Grafana's variables with the values a user would see: the chosen meter, the default tariffs. */
function substitute(expr: string, d: Dashboard, meter: string): string {
  let out = expr
    .replaceAll("$__rate_interval", "4s")
    .replaceAll("$__interval", "1s")
    .replaceAll("$__range", "1h")
    .replaceAll("$meter", meter);
  for (const v of d.templating.list) {
    if (v.type === "textbox") out = out.replaceAll(`$${v.name}`, String(v.query));
  }
  return out;
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
    run = await runExporter(broker.url, systemClock);
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
            return { key, meter, allowed, expr: substitute(t.expr, d, meter) };
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
