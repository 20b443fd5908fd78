/**
 * Each built service, configured with the environment docker-compose.yml computes for its container, logs in to
 * the broker configured by mosquitto/ (generated users and ACL) and announces itself: its retained status says
 * "online". This proves the compose usernames, passwords and the ACL's Last Will permissions fit together.
 * Needs the build (`make test` builds first).
 */
import { existsSync } from "node:fs";
import { topics } from "@smarty/contracts";
import { freePort, type RedisServer, startRedis, waitFor } from "@smarty/testkit";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "./helpers/repo.js";
import { passwordVariable, type StackBroker, startStackBroker } from "./helpers/stack-broker.js";
import { type StackProcess, startStackProcess } from "./helpers/stack-process.js";

let broker: StackBroker;
let redis: RedisServer;
const running: StackProcess[] = [];

beforeAll(async () => {
  broker = await startStackBroker();
  redis = await startRedis();
});

afterAll(async () => {
  for (const p of running.reverse()) await p.stop();
  await redis?.stop();
  await broker?.stop();
});

/** `.env` as a user fills it: the broker passwords the broker was started with. */
function dotEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(broker.passwords).map(([u, pw]) => [passwordVariable(u), pw]));
}

/** The retained status of a service, read as Home Assistant would; retained messages precede a second SUBACK. */
async function retainedStatus(service: "ingest" | "exporter" | "display" | "notifier"): Promise<string> {
  const c = await mqtt.connectAsync(broker.url, {
    username: "homeassistant",
    password: broker.passwords.homeassistant,
    protocolVersion: 5,
    reconnectPeriod: 0,
  });
  let status = "";
  c.on("message", (_t, p) => {
    status = p.toString();
  });
  await c.subscribeAsync(topics.status("smarty", service, "main"));
  await c.subscribeAsync("barrier/none");
  await c.endAsync();
  return status;
}

const CASES = [
  { service: "ingest", main: "services/ingest/dist/main.js", port: "INGEST_HTTP_PORT" },
  { service: "exporter", main: "services/exporter/dist/main.js", port: "EXPORTER_PORT" },
  { service: "display", main: "services/display/dist/main.js", port: "DISPLAY_PORT" },
  { service: "notifier", main: "services/notifier/dist/main.js", port: undefined },
] as const;

describe("services configured as docker-compose.yml configures them", () => {
  it.each(CASES)("$service logs in with its own user and announces itself online", async (c) => {
    expect(existsSync(repoPath(c.main)), "run `npm run build` first").toBe(true);
    const port = await freePort();
    const overrides: Record<string, string> = { MQTT_URL: broker.url, LOG_LEVEL: "warn" };
    if (c.port) overrides[c.port] = String(port);
    if (c.service === "ingest") overrides.SMARTY_SOURCE = `tcp://127.0.0.1:${await freePort()}`;
    if (c.service === "notifier") overrides.REDIS_URL = redis.url;
    const p = await startStackProcess({
      composeService: c.service,
      main: c.main,
      vars: { ...dotEnv(), SMARTY_KEY: "0123456789ABCDEF0123456789ABCDEF" },
      overrides,
      ...(c.port ? { readyUrl: `http://127.0.0.1:${port}/healthz` } : {}),
    });
    running.push(p);
    expect(p.env.MQTT_USERNAME).toBe(c.service);
    await waitFor(
      async () => (await retainedStatus(c.service)) === "online",
      20_000,
      `${c.service} online:\n${p.daemon.output().slice(-2000)}`,
    );
  });
});
