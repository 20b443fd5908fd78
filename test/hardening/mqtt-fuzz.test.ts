/**
 * MQTT fuzz against the real subscribers: exporter, display and notifier run as built processes on a real
 * mosquitto (ingest subscribes to nothing). Each gets bursts of malformed JSON, wrong schemas, payloads above
 * MAX_PAYLOAD_BYTES, binary garbage, readings on the wrong meter's topic, unknown topics under the base and empty
 * retained messages, all retained, so the broker itself holds garbage afterwards. Expected: every bad message
 * counted by reason, one log line per kind of burst, /healthz still answering, the last good reading still served,
 * the next good one applied, and a service started on the poisoned broker comes up and counts the garbage.
 */
import { MAX_PAYLOAD_BYTES, topics } from "@smarty/contracts";
import { type Mosquitto, type RedisServer, startMosquitto, startRedis, waitFor } from "@smarty/testkit";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LogLine, type RunningService, readingFor, sampleValue, startService } from "./helpers/services.js";

const BASE = "smarty";
const METER = "lu-fuzz-a";
const OTHER = "lu-fuzz-b";
const N = 25;

let broker: Mosquitto;
let redis: RedisServer;
let pub: MqttClient;
const services: Partial<Record<"exporter" | "display" | "notifier", RunningService>> = {};
const started: RunningService[] = [];

const good = (meter: string, kw: number) => JSON.stringify(readingFor(meter, kw));
const POWER = `smarty_power_imported_watts{meter="${METER}"}`;

/** Each bad payload, its topic and the reason the exporter and display count it under (undefined: not delivered). */
const BURSTS: { kind: string; topic: string; payload: () => Buffer | string; reason?: string }[] = [
  { kind: "json", topic: topics.reading(BASE, METER), payload: () => '{"meter_id": "lu-fuzz-a", ', reason: "json" },
  {
    kind: "binary",
    topic: topics.reading(BASE, METER),
    payload: () => Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x80, 0x81, 0xc3, 0x28, 0x0a]),
    reason: "json",
  },
  {
    kind: "schema",
    topic: topics.reading(BASE, METER),
    payload: () => '{"meter_id": 5, "obis": []}',
    reason: "schema",
  },
  {
    kind: "huge",
    topic: topics.reading(BASE, METER),
    payload: () => `{"pad":"${"x".repeat(MAX_PAYLOAD_BYTES + 1024)}"}`,
    reason: "too_large",
  },
  { kind: "wrong meter", topic: topics.reading(BASE, METER), payload: () => good(OTHER, 9.9), reason: "topic" },
  { kind: "service as meter", topic: `${BASE}/ingest/reading`, payload: () => good("ingest", 1), reason: "topic" },
  { kind: "health schema", topic: topics.health(BASE, "ingest", "main"), payload: () => '{"x":1}', reason: "schema" },
  { kind: "status text", topic: topics.status(BASE, "ingest", "main"), payload: () => "maybe", reason: "schema" },
  // Not matched by any subscription: the broker never delivers them; nothing may change.
  { kind: "unknown leaf", topic: `${BASE}/${METER}/unknown`, payload: () => "{}" },
  { kind: "deeper reading", topic: `${BASE}/${METER}/reading/extra`, payload: () => good(METER, 7.7) },
  { kind: "bare base", topic: `${BASE}/garbage`, payload: () => "\u0000\u0001" },
];

/** Statistics garbage reaches the display and the exporter (it exports the notifier's calendar periods). */
const STATISTICS_BURSTS = [
  { topic: topics.statistics(BASE, METER), payload: "[1,2,3]", reason: "schema" },
  { topic: topics.statistics(BASE, METER), payload: "{{", reason: "json" },
];

async function publishAll(topic: string, payload: Buffer | string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await pub.publishAsync(topic, payload, { qos: 1, retain: true });
}

async function metrics(): Promise<string> {
  return (await fetch(`${services.exporter?.http}/metrics`)).text();
}

async function displayPower(): Promise<number | undefined> {
  const meters = (await (await fetch(`${services.display?.http}/api/meters`)).json()) as unknown;
  const text = JSON.stringify(meters);
  if (!text.includes(METER)) return undefined;
  const m = /"power_import_kw":\s*(-?[\d.]+)/.exec(text);
  return m ? Number(m[1]) : Number.NaN;
}

const warnings = (s: RunningService, msg: RegExp): LogLine[] =>
  s.logLines().filter((l) => (l.level ?? 0) >= 40 && msg.test(String(l.msg)));

beforeAll(async () => {
  broker = await startMosquitto();
  redis = await startRedis();
  pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  await pub.publishAsync(topics.reading(BASE, METER), good(METER, 1.234), { qos: 1, retain: true });
  await pub.publishAsync(topics.reading(BASE, OTHER), good(OTHER, 0.5), { qos: 1, retain: true });
  const env = { MQTT_URL: broker.url };
  for (const name of ["exporter", "display", "notifier"] as const) {
    const s = await startService(name, name === "notifier" ? { ...env, REDIS_URL: redis.url } : env);
    services[name] = s;
    started.push(s);
  }
  await waitFor(async () => sampleValue(await metrics(), POWER) === 1234, 20_000, "exporter has the reading");
  await waitFor(async () => (await displayPower()) === 1.234, 20_000, "display has the reading");
  const notifier = services.notifier as RunningService;
  await waitFor(() => notifier.logLines().some((l) => l.msg === "subscribed"), 20_000, "notifier subscribed");

  for (const b of BURSTS) await publishAll(b.topic, b.payload(), N);
  for (const d of STATISTICS_BURSTS) await publishAll(d.topic, d.payload, N);
  await publishAll(topics.notifierCommand(BASE), "\u00ff not a command", 3);
  // Empty retained messages: clear the statistics, health and status topics, and remove the other meter.
  for (const t of [
    topics.statistics(BASE, METER),
    topics.health(BASE, "ingest", "main"),
    topics.status(BASE, "ingest", "main"),
  ]) {
    await pub.publishAsync(t, "", { qos: 1, retain: true });
  }
  await pub.publishAsync(topics.reading(BASE, OTHER), "", { qos: 1, retain: true });
  // A marker after everything: once the exporter shows it, every earlier message was handled (per-topic order).
  await pub.publishAsync(topics.reading(BASE, "lu-fuzz-marker"), good("lu-fuzz-marker", 0.1), { qos: 1 });
  await waitFor(async () => (await metrics()).includes('meter="lu-fuzz-marker"'), 20_000, "marker reading");
}, 120_000);

afterAll(async () => {
  for (const s of started.reverse()) await s.stop();
  await pub?.endAsync();
  await redis?.stop();
  await broker?.stop();
});

describe("bad MQTT input", () => {
  it("leaves every subscriber running and answering", async () => {
    for (const s of started) expect(s.alive(), `${s.name}:\n${s.daemon.output().slice(-2000)}`).toBe(true);
    expect((await fetch(`${services.exporter?.http}/healthz`)).status).toBe(200);
    expect((await fetch(`${services.display?.http}/healthz`)).status).toBe(200);
    for (const s of started) {
      const crashes = s.logLines().filter((l) => /unhandled|uncaught|handler failed/i.test(String(l.msg)));
      expect(crashes, s.name).toEqual([]);
    }
  });

  it("counts every rejected message by reason in the exporter's metrics", async () => {
    const expected = new Map<string, number>();
    for (const b of [...BURSTS, ...STATISTICS_BURSTS]) {
      if (b.reason) expected.set(b.reason, (expected.get(b.reason) ?? 0) + N);
    }
    const text = await metrics();
    for (const [reason, count] of expected) {
      expect(sampleValue(text, `smarty_exporter_messages_rejected_total{reason="${reason}"}`), reason).toBe(count);
    }
  });

  it("counts every rejected message in the display's /healthz", async () => {
    const delivered = BURSTS.filter((b) => b.reason).length * N + STATISTICS_BURSTS.length * N;
    await waitFor(
      async () =>
        ((await (await fetch(`${services.display?.http}/healthz`)).json()) as { rejected: number }).rejected ===
        delivered,
      10_000,
      `display rejected ${delivered}`,
    );
  });

  it("logs one line per kind of burst, not one per message", () => {
    const exporter = warnings(services.exporter as RunningService, /^message rejected$/);
    const reasons = new Set(BURSTS.filter((b) => b.reason).map((b) => b.reason));
    expect(exporter.length).toBe(reasons.size);
    const display = warnings(services.display as RunningService, /rejected/);
    expect(display.length).toBeLessThanOrEqual(reasons.size + 2);
    // The notifier counts readings by reason (json, schema, too_large) and ingest health once.
    const notifier = warnings(services.notifier as RunningService, /rejected/);
    expect(notifier.length).toBeLessThanOrEqual(5);
    expect(notifier.length).toBeGreaterThanOrEqual(3);
  });

  it("still serves the last good reading, and the next good reading applies", async () => {
    expect(sampleValue(await metrics(), POWER)).toBe(1234);
    expect(await displayPower()).toBe(1.234);
    await pub.publishAsync(topics.reading(BASE, METER), good(METER, 2.5), { qos: 1, retain: true });
    await waitFor(async () => sampleValue(await metrics(), POWER) === 2500, 10_000, "exporter applies 2.5 kW");
    await waitFor(async () => (await displayPower()) === 2.5, 10_000, "display applies 2.5 kW");
  });

  it("removes a meter whose retained reading is emptied, as MQTT deletion means", async () => {
    const left = (await metrics()).split("\n").filter((l) => l.includes(`meter="${OTHER}"`));
    expect(left).toEqual([]);
  });

  it("starts cleanly on a broker whose retained topics hold garbage, and counts it", async () => {
    await publishAll(topics.reading(BASE, METER), "{ poisoned", 1);
    const fresh = await startService("exporter", { MQTT_URL: broker.url });
    started.push(fresh);
    const scrape = async () => (await fetch(`${fresh.http}/metrics`)).text();
    await waitFor(
      async () => (sampleValue(await scrape(), 'smarty_exporter_messages_rejected_total{reason="json"}') ?? 0) >= 1,
      15_000,
      "fresh exporter counted the retained garbage",
    );
    expect(fresh.alive()).toBe(true);
    expect((await fetch(`${fresh.http}/healthz`)).status).toBe(200);
  });
});
