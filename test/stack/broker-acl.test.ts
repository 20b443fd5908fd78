/**
 * The broker's security as deployed: mosquitto/generate-auth.sh builds users and ACL from an environment, the
 * committed mosquitto.conf runs on Debian's mosquitto, and MQTT v5 clients (denials are visible in v5) check that
 * every user may write and read exactly what the contract gives it, built from packages/contracts topics.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { topics } from "@smarty/contracts";
import { tempDir } from "@smarty/testkit";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../e2e/helpers/build.js";
import { ROOT, readCompose } from "./helpers/repo.js";
import { type StackBroker, startStackBroker } from "./helpers/stack-broker.js";

const run = promisify(execFile);
const BASE = "smarty";
const METER = "lu-test-meter";

const READING = topics.reading(BASE, METER);
const STATE = topics.state(BASE, METER, "power_import_w");
const STATISTICS = topics.statistics(BASE, METER);
const ALERT = topics.alert(BASE, METER, "power_high");
const INGEST_STATUS = topics.status(BASE, "ingest", "main");
const INGEST_HEALTH = topics.health(BASE, "ingest", "main");
const EXPORTER_STATUS = topics.status(BASE, "exporter", "main");
const DISPLAY_STATUS = topics.status(BASE, "display", "main");
const NOTIFIER_STATUS = topics.status(BASE, "notifier", "main");
const COMMAND = topics.notifierCommand(BASE);
const RESPONSE = topics.notifierResponse(BASE);
const DISCOVERY = topics.discovery("homeassistant", "smarty_meter", "power_import");
const HA_BIRTH = "homeassistant/status";

/** One topic of every kind in the tree, each with the only user allowed to write it. */
const WRITERS: Record<string, string> = {
  [READING]: "ingest",
  [STATE]: "ingest",
  [INGEST_STATUS]: "ingest",
  [INGEST_HEALTH]: "ingest",
  [DISCOVERY]: "ingest",
  [EXPORTER_STATUS]: "exporter",
  [DISPLAY_STATUS]: "display",
  [STATISTICS]: "notifier",
  [ALERT]: "notifier",
  [NOTIFIER_STATUS]: "notifier",
  [RESPONSE]: "notifier",
  [COMMAND]: "cli",
  [HA_BIRTH]: "homeassistant",
};
const ALL = Object.keys(WRITERS);

/** What each user must receive, and nothing else, from the topics above. */
const READERS: Record<string, string[]> = {
  // ingest reads back its own retained readings (frame counters across restarts), nothing else it writes.
  ingest: [READING, INGEST_STATUS, INGEST_HEALTH],
  exporter: [READING, STATISTICS, INGEST_STATUS, INGEST_HEALTH, EXPORTER_STATUS],
  display: [READING, STATISTICS, INGEST_STATUS, INGEST_HEALTH, DISPLAY_STATUS],
  notifier: [READING, INGEST_STATUS, INGEST_HEALTH, STATISTICS, ALERT, NOTIFIER_STATUS, RESPONSE, COMMAND],
  homeassistant: ALL,
  cli: ALL.filter((x) => x.startsWith(`${BASE}/`)),
  healthcheck: ["$SYS/broker/uptime"],
};

let broker: StackBroker;
const clients: MqttClient[] = [];

function connect(username: string | undefined, password?: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...(username ? { username, password: password ?? broker.passwords[username] } : {}),
    });
    clients.push(c);
    c.once("connect", () => resolve(c));
    c.once("error", (err) => reject(err));
  });
}

/** Publishes retained at QoS 1; resolves with the PUBACK reason code (0 = accepted, 0x87 = not authorised). */
function publish(c: MqttClient, topic: string, payload: string): Promise<number> {
  return new Promise((resolve) => {
    c.publish(topic, payload, { qos: 1, retain: true }, (err, packet) => {
      const code = (err as { code?: number } | undefined)?.code ?? (packet as { reasonCode?: number })?.reasonCode;
      resolve(code ?? 0);
    });
  });
}

/** Subscribes to everything, then waits for a second SUBACK: retained messages of the first come before it. */
async function retainedSeenBy(user: string): Promise<Map<string, string>> {
  const c = await connect(user);
  const seen = new Map<string, string>();
  c.on("message", (topic, payload) => seen.set(topic, payload.toString()));
  await c.subscribeAsync(["#", "$SYS/broker/uptime"], { qos: 0 });
  await c.subscribeAsync("barrier/none", { qos: 0 });
  await c.endAsync();
  return seen;
}

beforeAll(async () => {
  broker = await startStackBroker();
  const writers = new Map<string, MqttClient>();
  for (const user of Object.keys(READERS).filter((u) => u !== "healthcheck")) writers.set(user, await connect(user));
  // For each topic: its writer first, then every other user; a retained value other than the writer's name
  // would mean the broker let someone else overwrite it.
  for (const topic of ALL) {
    const owner = WRITERS[topic] as string;
    const first = writers.get(owner) as MqttClient;
    expect(await publish(first, topic, owner), `${owner} may write ${topic}`).toBe(0);
    for (const [user, c] of writers) {
      if (user === owner) continue;
      expect(await publish(c, topic, user), `${user} must not write ${topic}`).toBeGreaterThanOrEqual(0x80);
    }
  }
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  await broker?.stop();
});

describe("the generated broker users and ACL", () => {
  it("refuses anonymous clients and wrong passwords", async () => {
    await expect(connect(undefined)).rejects.toThrow(/not authori[sz]ed|bad user name or password/i);
    await expect(connect("ingest", "not-the-password")).rejects.toThrow(/not authori[sz]ed|bad user name or password/i);
    await expect(connect("healthcheck", "guess-guess-guess")).rejects.toThrow();
  });

  it("keeps every topic as written by its one allowed writer", async () => {
    const seen = await retainedSeenBy("homeassistant");
    for (const topic of ALL) expect(seen.get(topic), topic).toBe(WRITERS[topic]);
  });

  it.each(Object.keys(READERS))("lets %s read exactly the topics it consumes", async (user) => {
    const seen = await retainedSeenBy(user);
    expect([...seen.keys()].sort()).toEqual([...(READERS[user] as string[])].sort());
  });

  it("answers the compose healthcheck command with the generated healthcheck user", async () => {
    const compose = readCompose();
    const test = compose.services.mosquitto?.healthcheck?.test as string[];
    expect(test[0]).toBe("CMD-SHELL");
    const command = (test[1] as string)
      .replaceAll("$$", "$")
      .replaceAll("/tmp/mosquitto-auth/", `${broker.authDir}/`)
      .replace("-p 1883", `-p ${broker.port}`);
    const r = await run("sh", ["-c", command], { timeout: 15_000 });
    expect(r.stderr).toBe("");
  });

  it("answers the notifier image's healthcheck from its retained status, with MQTT_PASSWORD or MQTT_PASSWORD_FILE", async () => {
    // The image runs `node /app/healthcheck.js`, a link to the notifier's dist/healthcheck.js (Dockerfile).
    await ensureBuilt(["services/notifier"]);
    const dir = tempDir("notifier-healthcheck");
    const file = join(dir.path, "mqtt-password");
    writeFileSync(file, `${broker.passwords.notifier as string}\n`);
    const base = { PATH: process.env.PATH ?? "", MQTT_URL: broker.url, MQTT_USERNAME: "notifier" };
    const check = (env: Record<string, string>) =>
      run(process.execPath, ["services/notifier/dist/healthcheck.js"], { cwd: ROOT, env: { ...base, ...env } }).then(
        () => 0,
        (err: { code?: number }) => err.code ?? -1,
      );
    try {
      const notifier = await connect("notifier");
      expect(await publish(notifier, NOTIFIER_STATUS, "online")).toBe(0);
      expect(await check({ MQTT_PASSWORD_FILE: file })).toBe(0);
      expect(await check({ MQTT_PASSWORD: broker.passwords.notifier as string })).toBe(0);
      expect(await check({ MQTT_PASSWORD_FILE: join(dir.path, "missing") })).toBe(1);
      expect(await publish(notifier, NOTIFIER_STATUS, "offline")).toBe(0);
      expect(await check({ MQTT_PASSWORD_FILE: file })).toBe(1);
    } finally {
      dir.remove();
    }
  });
});
