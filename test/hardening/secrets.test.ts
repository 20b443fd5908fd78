/**
 * No secret leaves through an output: the pipeline runs as built processes (ingest reading encrypted frames over
 * TCP, exporter, display, notifier with SMTP, XMPP and an OpenPGP key configured) on the stack's broker with its
 * generated users, every secret given a distinctive value. Then every log line, /metrics, the display's page,
 * API and health, and every MQTT message seen by a read-everything user are scanned for each secret.
 * SMTP and XMPP point at closed loopback ports, so their connection errors, the likeliest leak, are in the logs.
 */
import { createServer, type Server, type Socket } from "node:net";
import { topics } from "@smarty/contracts";
import { encryptTelegram } from "@smarty/p1";
import { freePort, type RedisServer, startRedis, waitFor } from "@smarty/testkit";
import { buildTelegram } from "@smarty/testkit/reading-builder";
import mqtt, { type MqttClient } from "mqtt";
import { generateKey } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StackBroker, startStackBroker } from "../stack/helpers/stack-broker.js";
import { type RunningService, startService } from "./helpers/services.js";

const KEY_HEX = "5EC12E7D0C0FFEE15EC12E7D0C0FFEE1";
const SMTP_PASSWORD = "smtp-S3cret-Zebra-4417";
const XMPP_PASSWORD = "xmpp-S3cret-Otter-9021";
const PGP_PASSPHRASE = "pgp-S3cret-Heron-7730";
const METER = "lu-secret-meter";
const SYSTEM_TITLE = Buffer.from("534147670000aa01", "hex");

let broker: StackBroker;
let redis: RedisServer;
let meter: Server;
let spy: MqttClient;
let privateKeyBody = "";
const mqttPayloads: string[] = [];
const running: RunningService[] = [];
const sockets = new Set<Socket>();

function frame(counter: number): Buffer {
  const telegram = buildTelegram({
    base: "none",
    meterId: METER,
    time: Date.now(),
    values: { energy_import_kwh: 100 + counter, power_import_kw: 2 },
  });
  return encryptTelegram(telegram, {
    key: Buffer.from(KEY_HEX, "hex"),
    systemTitle: SYSTEM_TITLE,
    frameCounter: counter,
  });
}

beforeAll(async () => {
  broker = await startStackBroker();
  redis = await startRedis();
  const key = await generateKey({
    userIDs: [{ email: "bot@localhost" }],
    passphrase: PGP_PASSPHRASE,
    format: "armored",
  });
  // A line from the middle of the armored secret key: any fragment of it in an output is a leak.
  privateKeyBody = key.privateKey.split("\n").filter((l) => l.length > 40)[2] ?? "";
  expect(privateKeyBody.length).toBeGreaterThan(40);

  let counter = 1;
  meter = createServer((socket) => {
    sockets.add(socket);
    const timer = setInterval(() => socket.write(frame(counter++)), 200);
    socket.on("close", () => clearInterval(timer));
    socket.on("error", () => clearInterval(timer));
  });
  const meterPort = await freePort();
  await new Promise<void>((r) => meter.listen(meterPort, "127.0.0.1", r));

  spy = await mqtt.connectAsync(broker.url, {
    username: "homeassistant",
    password: broker.passwords.homeassistant,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  spy.on("message", (t, p) => mqttPayloads.push(`${t} ${p.toString("latin1")}`));
  await spy.subscribeAsync(["#"], { qos: 0 });

  const mqttFor = (user: string) => ({
    MQTT_URL: broker.url,
    MQTT_USERNAME: user,
    MQTT_PASSWORD: broker.passwords[user] as string,
    LOG_LEVEL: "debug",
  });
  const closed = await freePort();
  running.push(
    await startService("ingest", {
      ...mqttFor("ingest"),
      SMARTY_SOURCE: `tcp://127.0.0.1:${meterPort}`,
      SMARTY_KEY: KEY_HEX,
      SMARTY_HA_DISCOVERY: "true",
    }),
    await startService("exporter", mqttFor("exporter")),
    await startService("display", mqttFor("display")),
    await startService("notifier", {
      ...mqttFor("notifier"),
      REDIS_URL: redis.url,
      SMTP_URL: `smtp://127.0.0.1:${closed}`,
      SMTP_TLS: "none",
      SMTP_ALLOW_PLAINTEXT_AUTH: "true",
      SMTP_USERNAME: "smarty",
      SMTP_PASSWORD,
      EMAIL_FROM: "smarty@example.org",
      EMAIL_TO: "home@example.org",
      EMAIL_ENCRYPTION: "off",
      XMPP_SERVICE: `xmpp://127.0.0.1:${closed}`,
      XMPP_DOMAIN: "localhost",
      XMPP_USERNAME: "bot",
      XMPP_PASSWORD,
      XMPP_ALLOWED_JIDS: "alice@localhost",
      XMPP_PGP_PRIVATE_KEY: key.privateKey,
      XMPP_PGP_PASSPHRASE: PGP_PASSPHRASE,
      XMPP_RECONNECT_MAX: "1s",
    }),
  );
  await waitFor(
    () => mqttPayloads.some((m) => m.startsWith(`${topics.statistics("smarty", METER)} `)),
    30_000,
    "statistics from the notifier",
  );
  await waitFor(() => mqttPayloads.some((m) => m.startsWith("homeassistant/sensor/")), 10_000, "discovery");
}, 90_000);

afterAll(async () => {
  for (const s of running.reverse()) await s.stop();
  await spy?.endAsync();
  for (const s of sockets) s.destroy();
  await new Promise((r) => meter?.close(r));
  await redis?.stop();
  await broker?.stop();
});

/** Every secret with the forms it could take in an output. */
function secrets(): Record<string, string[]> {
  const out: Record<string, string[]> = {
    SMARTY_KEY: [KEY_HEX, KEY_HEX.toLowerCase(), Buffer.from(KEY_HEX, "hex").toString("base64")],
    SMTP_PASSWORD: [SMTP_PASSWORD],
    XMPP_PASSWORD: [XMPP_PASSWORD, Buffer.from(`\u0000bot\u0000${XMPP_PASSWORD}`).toString("base64")],
    XMPP_PGP_PASSPHRASE: [PGP_PASSPHRASE],
    XMPP_PGP_PRIVATE_KEY: [privateKeyBody, "PRIVATE KEY BLOCK"],
  };
  for (const [user, pw] of Object.entries(broker.passwords)) out[`MQTT password of ${user}`] = [pw];
  return out;
}

function leaks(where: string, text: string): string[] {
  const found: string[] = [];
  for (const [name, forms] of Object.entries(secrets())) {
    if (forms.some((f) => f !== "" && text.includes(f))) found.push(`${name} in ${where}`);
  }
  return found;
}

describe("secrets in outputs", () => {
  it("the pipeline ran: readings, statistics and a connection attempt to each mail and chat server", () => {
    expect(mqttPayloads.some((m) => m.startsWith(`${topics.reading("smarty", METER)} `))).toBe(true);
    const notifierLog = running.find((s) => s.name === "notifier")?.daemon.output() ?? "";
    expect(notifierLog).toMatch(/xmpp/i);
  });

  it("appear in no log line of any service (debug level)", async () => {
    await waitFor(
      () => /ECONNREFUSED/.test(running.find((s) => s.name === "notifier")?.daemon.output() ?? ""),
      15_000,
      "an XMPP connection error logged",
    );
    const found = running.flatMap((s) => leaks(`${s.name} log`, s.daemon.output()));
    expect(found).toEqual([]);
  });

  it("appear in no HTTP response: /metrics, the display page, API, events and health", async () => {
    const byName = Object.fromEntries(running.map((s) => [s.name, s.http]));
    const urls = [
      `${byName.exporter}/metrics`,
      `${byName.exporter}/healthz`,
      `${byName.display}/`,
      `${byName.display}/api/meters`,
      `${byName.display}/api/meters/${METER}/now`,
      `${byName.display}/healthz`,
      `${byName.ingest}/healthz`,
    ];
    const found: string[] = [];
    for (const url of urls) found.push(...leaks(url, await (await fetch(url)).text()));
    const events = await fetch(`${byName.display}/events`, { signal: AbortSignal.timeout(1500) });
    const reader = events.body?.getReader();
    const first = await reader?.read();
    found.push(...leaks("/events", Buffer.from(first?.value ?? []).toString()));
    await reader?.cancel();
    expect(found).toEqual([]);
  });

  it("appear in no MQTT payload or topic", () => {
    expect(mqttPayloads.length).toBeGreaterThan(5);
    expect(leaks("MQTT", mqttPayloads.join("\n"))).toEqual([]);
  });
});
