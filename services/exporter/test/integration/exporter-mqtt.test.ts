/**
 * The exporter against a real mosquitto: several meters, staleness measured on a ManualClock, bad messages, and a
 * broker restart (the exporter resubscribes and keeps serving the last good values until they go stale).
 */
import { topics } from "@smarty/contracts";
import { ManualClock } from "@smarty/service-kit";
import { freePort, type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import type { MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { seriesOf } from "../exposition.js";
import { simulatedReading } from "../simulated-reading.js";
import {
  publisher,
  publishReading,
  type RunningExporter,
  runExporter,
  runExporterWithoutBroker,
  untilScrape,
} from "./harness.js";

const T0 = Date.UTC(2026, 2, 1, 9);
const energy = (meter: string) => `smarty_energy_imported_joules_total{meter="${meter}"}`;
const timestamp = (meter: string) => `smarty_reading_timestamp_seconds{meter="${meter}"}`;
const meterIds = (s: Map<string, number>) =>
  seriesOf(s, "smarty_meter_info").map((k) => /meter="([^"]+)"/.exec(k)?.[1] ?? "");

describe("exporter with a real broker", () => {
  let broker: Mosquitto;
  let pub: MqttClient;
  let run: RunningExporter | undefined;

  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
    pub = await publisher(broker.url);
  });
  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });
  afterAll(async () => {
    await pub?.endAsync();
    await broker?.stop();
  });

  it("serves several meters and drops the one that stopped sending after EXPORTER_STALE_AFTER", async () => {
    const clock = new ManualClock(T0);
    const meters = ["LOAD01", "LOAD02", "LOAD03", "LOAD04", "LOAD05", "LOAD06", "LOAD07", "LOAD08"];
    run = await runExporter(broker.url, clock, { EXPORTER_STALE_AFTER: "60s" });
    for (const id of meters)
      await publishReading(pub, simulatedReading({ meterId: id, timeMs: clock.now(), elapsedS: 0 }));
    await untilScrape(run, (s) => s.get("smarty_exporter_meters") === 8, "eight meters");

    clock.advance(30_000);
    const t1 = clock.now();
    for (const id of meters.slice(0, 7))
      await publishReading(pub, simulatedReading({ meterId: id, timeMs: t1, elapsedS: 30 }));
    const s1 = await untilScrape(
      run,
      (s) => meters.slice(0, 7).every((id) => s.get(timestamp(id)) === t1 / 1000),
      "the second round of readings",
    );
    expect(s1.get(energy("LOAD01"))).toBe((1000 + 30 * 0.001) * 3.6e6);
    expect(s1.get(energy("LOAD08"))).toBe(1000 * 3.6e6);

    clock.advance(30_001); // LOAD08 arrived 60.001 s ago, the others 30.001 s ago
    const s2 = await run.scrape();
    expect(meterIds(s2)).toEqual(meters.slice(0, 7));
    expect([...s2.keys()].filter((k) => k.includes('"LOAD08"'))).toEqual([]);
    expect(s2.get("smarty_exporter_meters")).toBe(7);
  });

  it("starts and answers /metrics while no broker is reachable", async () => {
    const nobody = await freePort();
    run = await runExporterWithoutBroker(`mqtt://127.0.0.1:${nobody}`);
    let failures = 0;
    // Counted on 'close', not 'error': a listener of our own on 'error' would hide a missing one in the exporter.
    run.exporter.connection.on("close", () => failures++);
    // The client retries every 200 ms here; each refused attempt emits 'error', which must not end the process.
    await waitFor(() => failures > 1, 5000, "refused connection attempts");
    expect((await fetch(`${run.url}/metrics`)).status).toBe(200);
    const health = await fetch(`${run.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "mqtt_disconnected", mqtt: false, meters: 0 });
  });

  it("treats a retained reading found at start as arrived at start", async () => {
    const clock = new ManualClock(T0 + 86_400_000);
    // Published retained an hour of meter time earlier; what counts is when the exporter receives it.
    await publishReading(pub, simulatedReading({ meterId: "RETAIN1", timeMs: T0, elapsedS: 0 }), true);
    run = await runExporter(broker.url, clock);
    await untilScrape(run, (s) => s.has(energy("RETAIN1")), "the retained reading");
    clock.advance(60_000);
    expect((await run.scrape()).has(energy("RETAIN1"))).toBe(true);
    clock.advance(1);
    expect((await run.scrape()).has(energy("RETAIN1"))).toBe(false);
    await pub.publishAsync(topics.reading("smarty", "RETAIN1"), "", { qos: 1, retain: true });
  });

  it("counts and rejects bad messages without touching the last good reading", async () => {
    const clock = new ManualClock(T0);
    run = await runExporter(broker.url, clock);
    const good = simulatedReading({ meterId: "GOOD1", timeMs: clock.now(), elapsedS: 0 });
    await publishReading(pub, good);
    await untilScrape(run, (s) => s.has(energy("GOOD1")), "the good reading");

    const topic = topics.reading("smarty", "GOOD1");
    await pub.publishAsync(topic, "{not json", { qos: 1 });
    await pub.publishAsync(topic, JSON.stringify({ ...good, mbus: "none" }), { qos: 1 });
    await pub.publishAsync(topics.reading("smarty", "OTHER"), JSON.stringify(good), { qos: 1 });
    await pub.publishAsync(topic, Buffer.alloc(300 * 1024, 0x20), { qos: 1 });
    await pub.publishAsync(topics.health("smarty", "ingest", "main"), '{"instance":"main"}', { qos: 1 });
    await pub.publishAsync(topics.status("smarty", "ingest", "main"), "sleeping", { qos: 1 });

    const rejected = (reason: string) => `smarty_exporter_messages_rejected_total{reason="${reason}"}`;
    const s = await untilScrape(
      run,
      (x) => x.get(rejected("json")) === 1 && x.get(rejected("schema")) === 3 && x.get(rejected("too_large")) === 1,
      "the rejections",
    );
    expect(s.get(rejected("topic"))).toBe(1);
    expect(s.get(energy("GOOD1"))).toBe(1000 * 3.6e6);
    expect(s.has(energy("OTHER"))).toBe(false);
    expect(seriesOf(s, "smarty_ingest_up")).toEqual([]);
  });

  it("resubscribes after a broker restart and serves the last values until they go stale", async () => {
    const clock = new ManualClock(T0);
    run = await runExporter(broker.url, clock);
    const exporter = run.exporter;
    await publishReading(pub, simulatedReading({ meterId: "RESTART1", timeMs: clock.now(), elapsedS: 0 }), true);
    await untilScrape(run, (s) => s.has(energy("RESTART1")), "the first reading");

    await pub.endAsync();
    await broker.pause();
    await waitFor(() => !exporter.connection.connected, 5000, "the exporter to notice the broker is gone");
    expect((await fetch(`${run.url}/healthz`)).status).toBe(503);
    clock.advance(40_000);
    // Broker down: the last good values are still served.
    expect((await run.scrape()).get(energy("RESTART1"))).toBe(1000 * 3.6e6);

    await broker.resume();
    await waitFor(() => exporter.connection.connected, 10_000, "the exporter to reconnect");
    pub = await publisher(broker.url);
    // Keep sending a new meter until it shows up: then the subscription is back, and the broker has already
    // re-delivered the persisted retained RESTART1 reading, which must not count as new.
    await waitFor(
      async () => {
        await publishReading(pub, simulatedReading({ meterId: "RESTART2", timeMs: clock.now(), elapsedS: 40 }));
        return (await run?.scrape())?.has(energy("RESTART2"));
      },
      10_000,
      "a reading published after the restart",
      200,
    );
    expect((await fetch(`${run.url}/healthz`)).status).toBe(200);
    clock.advance(20_001); // RESTART1 arrived 60.001 s ago, RESTART2 20.001 s ago
    const s = await run.scrape();
    expect(s.has(energy("RESTART1"))).toBe(false);
    expect(s.has(energy("RESTART2"))).toBe(true);
    await pub.publishAsync(topics.reading("smarty", "RESTART1"), "", { qos: 1, retain: true });
  });
});
