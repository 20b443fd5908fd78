/** An exporter built in-process against a real broker, with a ManualClock and an ephemeral loopback port. */
import { topics } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { type Clock, silentLogger, startAll, stopAll, systemClock } from "@smarty/service-kit";
import { waitFor } from "@smarty/testkit";
import mqtt, { type MqttClient } from "mqtt";
import { loadExporterConfig } from "../../src/config.js";
import { createExporter, type Exporter } from "../../src/exporter.js";
import { parseExposition } from "../exposition.js";

export interface RunningExporter {
  readonly exporter: Exporter;
  readonly url: string;
  text(): Promise<string>;
  scrape(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

export async function runExporter(
  brokerUrl: string,
  clock: Clock,
  env: Record<string, string> = {},
): Promise<RunningExporter> {
  const run = await runExporterWithoutBroker(brokerUrl, clock, env);
  await run.exporter.subscriber.whenSubscribed();
  return run;
}

/** Starts the exporter without waiting for the broker's subscription acknowledgement. */
export async function runExporterWithoutBroker(
  brokerUrl: string,
  clock: Clock = systemClock,
  env: Record<string, string> = {},
): Promise<RunningExporter> {
  const config = loadExporterConfig({
    MQTT_URL: brokerUrl,
    EXPORTER_PORT: "0",
    EXPORTER_HOST: "127.0.0.1",
    SMARTY_INSTANCE: "test",
    ...env,
  });
  const logger = silentLogger();
  const exporter = createExporter(config, { logger, clock, reconnectPeriodMs: 200 });
  await startAll(exporter.components, logger);
  const url = `http://127.0.0.1:${exporter.http.boundPort}`;
  const text = async () => {
    const res = await fetch(`${url}/metrics`);
    if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
    return res.text();
  };
  return {
    exporter,
    url,
    text,
    scrape: async () => parseExposition(await text()),
    stop: () => stopAll(exporter.components, logger),
  };
}

export function publisher(brokerUrl: string): Promise<MqttClient> {
  return mqtt.connectAsync(brokerUrl, {
    protocolVersion: 5,
    reconnectPeriod: 0,
    clientId: `pub-${process.pid}-${Math.random()}`,
  });
}

export async function publishReading(client: MqttClient, reading: Reading, retain = false): Promise<void> {
  await client.publishAsync(topics.reading("smarty", reading.meter_id), JSON.stringify(reading), { qos: 1, retain });
}

/** Polls /metrics until `check` holds; returns the last samples. */
export function untilScrape(
  run: RunningExporter,
  check: (s: Map<string, number>) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<Map<string, number>> {
  return waitFor(
    async () => {
      const s = await run.scrape();
      return check(s) ? s : undefined;
    },
    timeoutMs,
    what,
  );
}
