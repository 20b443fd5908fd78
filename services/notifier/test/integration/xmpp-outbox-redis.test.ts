/**
 * The xmpp channel with the notifier's real outbox (Redis + OutboxWorker): an alert raised while Prosody is down,
 * with the notifier itself restarted in between, reaches the household once when the server is back.
 */
import { BurstLogger, type Clock, loadConfig, silentLogger, startAll, stopAll, systemClock } from "@smarty/service-kit";
import { type Prosody, type RedisServer, startProsody, startRedis, waitFor } from "@smarty/testkit";
import { connectUser, type XmppUser } from "@smarty/testkit/xmpp-user";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { OutboxWorker } from "../../src/outbox/outbox-worker.js";
import { RedisOutbox } from "../../src/outbox/redis-outbox.js";
import { createXmpp, type XmppSettings, xmppEnv, xmppSettings } from "../../src/xmpp/index.js";
import { alert, FakeBackend, NOW } from "../xmpp/support/samples.js";

const BOT_JID = "smarty@localhost";
const clock: Clock = { ...systemClock, now: () => NOW };
const log = silentLogger();

let prosody: Prosody;
let redisServer: RedisServer;
let redis: Redis;
let alice: XmppUser;
let settings: XmppSettings;

/** One notifier process's worth of outbox and bot, over the shared Redis. */
async function notifier() {
  const xmpp = await createXmpp({
    settings,
    backend: new FakeBackend(() => NOW),
    logger: log,
    clock,
    tuning: { reconnectMinMs: 100, ackTimeoutMs: 5000 },
  });
  const outbox = new RedisOutbox(redis, "xmpp-test:", () => Date.now());
  const worker = new OutboxWorker({
    outbox,
    channels: [xmpp.channel],
    clock: systemClock,
    log,
    burst: new BurstLogger(log, systemClock),
    retryMinMs: 100,
    retryMaxMs: 500,
    maxAgeMs: 3_600_000,
    pollMs: 100,
  });
  const components = [...xmpp.components, worker];
  await startAll(components, log);
  return { xmpp, outbox, worker, stop: () => stopAll(components, log) };
}

beforeAll(async () => {
  [prosody, redisServer] = await Promise.all([
    startProsody({
      users: [
        { username: "smarty", password: "smarty-pw" },
        { username: "alice", password: "alice-pw" },
      ],
    }),
    startRedis(),
  ]);
  redis = new Redis(redisServer.url, { lazyConnect: true });
  await redis.connect();
  settings = xmppSettings(
    loadConfig(z.object(xmppEnv), {
      XMPP_SERVICE: prosody.directTlsService,
      XMPP_DOMAIN: "localhost",
      XMPP_USERNAME: "smarty",
      XMPP_PASSWORD: "smarty-pw",
      XMPP_ALLOWED_JIDS: "alice@localhost",
      XMPP_CA_FILE: prosody.caFile,
    }),
  ) as XmppSettings;
  alice = await connectUser(prosody, "alice", "alice-pw");
});

afterAll(async () => {
  await alice?.stop();
  redis?.disconnect();
  await Promise.all([prosody?.stop(), redisServer?.stop()]);
});

describe("xmpp channel with the Redis outbox", () => {
  it("delivers an alert stored while Prosody was down, across a notifier restart, once", async () => {
    const first = await notifier();
    await waitFor(() => first.xmpp.channel.available, 10_000, "bot online");
    await prosody.pause();
    await waitFor(() => !first.xmpp.channel.available, 10_000, "bot offline");

    const swell = alert({ id: "voltage_high", severity: "warning", message: "Voltage L2 above 253 V" });
    const payload = { kind: "alert" as const, alert: swell, text: "unused" };
    expect(await first.outbox.enqueue("xmpp", "alice@localhost", payload, "voltage_high:1")).toBeDefined();
    expect(await first.outbox.enqueue("xmpp", "alice@localhost", payload, "voltage_high:1")).toBeUndefined();
    await first.stop();

    const second = await notifier();
    expect(await second.outbox.pending()).toBe(1);
    await prosody.resume();
    const text = "[warning] Voltage L2 above 253 V (since 17:40)";
    const received = () => alice.messagesFrom(BOT_JID).filter((m) => m.getChildText("body") === text);
    await waitFor(() => received().length > 0, 20_000, "alert after restart");
    await waitFor(async () => (await second.outbox.pending()) === 0, 5000, "outbox empty");
    // A later message on the same path arrives after any duplicate would have.
    await second.outbox.enqueue("xmpp", "alice@localhost", { kind: "chat", text: "sentinel" });
    await waitFor(() => alice.messagesFrom(BOT_JID).some((m) => m.getChildText("body") === "sentinel"), 10_000);
    expect(received()).toHaveLength(1);
    // The worker counts a delivery once the server acknowledged it, which can be just after alice sees it.
    await waitFor(() => second.worker.delivered >= 2, 5000, "both deliveries counted");
    expect(second.worker.delivered).toBe(2);
    await second.stop();
  });
});
