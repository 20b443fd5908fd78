/**
 * SIGTERM with a dependency down: the notifier process must exit 0 within docker-compose.yml's stop_grace_period
 * (the default 10 s) and say what it could not flush.
 */
import { join } from "node:path";
import { topics } from "@smarty/contracts";
import {
  freePort,
  type Mosquitto,
  type RedisServer,
  runServiceSource,
  type ServiceRun,
  startMosquitto,
  startRedis,
} from "@smarty/testkit";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METER, simReading } from "../helpers/readings.js";

const MAIN = join(import.meta.dirname, "..", "..", "src", "main.ts");
const GRACE_MS = 10_000;
const BASE = "sd";

describe("notifier process shutdown with a dependency down", () => {
  let broker: Mosquitto;
  const runs: ServiceRun[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    for (const p of runs) p.child.kill("SIGKILL");
    await broker?.stop();
  });

  const start = async (redis: RedisServer, mqttUrl: string, extra: Record<string, string> = {}) => {
    const p = runServiceSource(MAIN, {
      MQTT_URL: mqttUrl,
      MQTT_BASE_TOPIC: BASE,
      REDIS_URL: redis.url,
      NOTIFIER_REDIS_PREFIX: `sd${runs.length}:`,
      ...extra,
    });
    runs.push(p);
    await p.waitForLog("started");
    return p;
  };
  const publishReading = async (t: number) => {
    const c = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    await c.publishAsync(topics.reading(BASE, METER), JSON.stringify(simReading(t, { import_kwh: 100 })));
    await c.endAsync();
  };
  const notFlushed = (p: ServiceRun) => p.lines().filter((l) => l.msg === "not flushed");

  it("Redis down: exits 0 in time and names the Redis writes it could not make", async () => {
    const redis = await startRedis();
    const p = await start(redis, broker.url);
    await p.waitForLog("mqtt connected");
    await redis.stop();
    await p.waitForLog("redis error");
    await publishReading(Date.now());
    const exit = await p.terminate();
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(GRACE_MS);
    expect(notFlushed(p).find((l) => l.component === "redis")).toMatchObject({ redis_commands: expect.any(Number) });
    expect(p.lines().at(-1)).toMatchObject({ msg: "stopped" });
  });

  it("broker down: exits 0 in time and says the offline status was not published", async () => {
    const redis = await startRedis();
    const port = await freePort();
    const p = await start(redis, `mqtt://127.0.0.1:${port}`);
    const exit = await p.terminate();
    await redis.stop();
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(GRACE_MS);
    expect(p.lines().find((l) => l.msg === "offline status not published")).toMatchObject({ component: "mqtt" });
  });

  it("SMTP and XMPP down: exits 0 in time and counts the messages left in the outbox", async () => {
    const redis = await startRedis();
    const p = await start(redis, broker.url, {
      SMTP_URL: `smtp://127.0.0.1:${await freePort()}`,
      SMTP_TLS: "none",
      EMAIL_FROM: "smarty@example.org",
      EMAIL_TO: "alice@example.org",
      EMAIL_ENCRYPTION: "off",
      XMPP_SERVICE: `xmpp://127.0.0.1:${await freePort()}`,
      XMPP_DOMAIN: "localhost",
      XMPP_USERNAME: "smarty",
      XMPP_PASSWORD: "pw",
      XMPP_ALLOWED_JIDS: "alice@localhost",
      NOTIFIER_OUTBOX_RETRY_MIN: "1m",
    });
    await p.waitForLog("mqtt connected");
    await p.waitForLog("subscribed");
    const c = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const statistics = new Promise((resolve) => c.once("message", resolve));
    await c.subscribeAsync(topics.statistics(BASE, METER));
    await publishReading(Date.now());
    await statistics; // the reading is in: the report has something to say
    await c.publishAsync(topics.notifierCommand(BASE), JSON.stringify({ command: "report", period: "day" }));
    await c.endAsync();
    await p.waitForLog("delivery failed, will retry");
    const exit = await p.terminate();
    await redis.stop();
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(GRACE_MS);
    expect(notFlushed(p).find((l) => l.component === "outbox")).toMatchObject({ email: 1 });
  });
});
