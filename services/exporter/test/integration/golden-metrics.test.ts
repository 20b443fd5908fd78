/**
 * The shared telegram vectors, published as readings over a real mosquitto, scraped from /metrics and compared with
 * test/fixtures/expected-metrics.txt (process_/nodejs_ families left out); the full scrape passes promtool.
 * Regenerate with `npm run fixtures:update -w services/exporter` and review the diff against the telegrams.
 */
import { readFileSync } from "node:fs";
import { topics } from "@smarty/contracts";
import { ManualClock } from "@smarty/service-kit";
import { type Mosquitto, promtool, startMosquitto } from "@smarty/testkit";
import type { MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTED_METRICS, goldenHealth, goldenReadings, withoutProcessMetrics } from "../golden-inputs.js";
import { publisher, publishReading, type RunningExporter, runExporter, untilScrape } from "./harness.js";

describe("golden /metrics over a real broker", () => {
  let broker: Mosquitto;
  let pub: MqttClient;
  let run: RunningExporter;

  beforeAll(async () => {
    broker = await startMosquitto();
    pub = await publisher(broker.url);
    // Retained before the exporter starts, as the ingest service leaves them on the broker.
    for (const reading of goldenReadings()) await publishReading(pub, reading, true);
    await pub.publishAsync(topics.health("smarty", "ingest", "main"), goldenHealth(), { qos: 1, retain: true });
    await pub.publishAsync(topics.status("smarty", "ingest", "main"), "online", { qos: 1, retain: true });
    run = await runExporter(broker.url, new ManualClock());
  });

  afterAll(async () => {
    await run?.stop();
    await pub?.endAsync();
    await broker?.stop();
  });

  it("pins the exposition of the shared vectors", async () => {
    await untilScrape(
      run,
      (s) => s.get("smarty_exporter_meters") === 6 && s.size > 200,
      "six meters and ingest health",
    );
    const text = await run.text();
    expect(withoutProcessMetrics(text)).toBe(readFileSync(EXPECTED_METRICS, "utf8"));
  });

  it("is clean for promtool check metrics, process metrics included", async () => {
    const text = await run.text();
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    const lint = promtool(["check", "metrics"], text);
    expect(`${lint.stdout}${lint.stderr}`).toBe("");
    expect(lint.code).toBe(0);
  });

  it("serves the Prometheus text format and a health check", async () => {
    const metrics = await fetch(`${run.url}/metrics`);
    expect(metrics.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const health = await fetch(`${run.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", mqtt: true, meters: 6 });
  });
});
