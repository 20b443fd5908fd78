/**
 * The whole notifier with the XMPP bot enabled: the bot's backend is the real core (statistics from MQTT readings
 * in Redis), and alerts reach the allowed contact through the outbox. Email is off (no SMTP_URL).
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { topics } from "@smarty/contracts";
import { type Clock, silentLogger, startAll, stopAll, systemClock } from "@smarty/service-kit";
import {
  type Mosquitto,
  type Prosody,
  type RedisServer,
  startMosquitto,
  startProsody,
  startRedis,
  tempDir,
  waitFor,
} from "@smarty/testkit";
import { connectUser, type XmppUser } from "@smarty/testkit/xmpp-user";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNotifierConfig } from "../../src/config.js";
import { createNotifier, type Notifier } from "../../src/notifier.js";
import { importAt, type Plan, times } from "../helpers/day-plan.js";
import { METER, simReading } from "../helpers/readings.js";

const BOT = "smarty@localhost";
const DAY_START = Date.parse("2026-10-24T22:00:00Z"); // 2026-10-25 00:00 CEST
const plan: Plan = {
  start: DAY_START,
  importStart: 1000,
  exportStart: 0,
  importQuarter: () => 0.25,
  exportQuarter: () => 0,
};

describe("notifier with the XMPP bot", () => {
  let prosody: Prosody;
  let mosquitto: Mosquitto;
  let redis: RedisServer;
  let alice: XmppUser;
  let client: MqttClient;
  let notifier: Notifier;
  const dir = tempDir("notifier-xmpp");
  let now = DAY_START;
  // Real timers for the XMPP session, the notifier's "now" follows the simulated meter.
  const clock: Clock = { ...systemClock, now: () => now };

  beforeAll(async () => {
    [prosody, mosquitto, redis] = await Promise.all([
      startProsody({
        users: [
          { username: "smarty", password: "smarty-pw" },
          { username: "alice", password: "alice-pw" },
        ],
      }),
      startMosquitto(),
      startRedis(),
    ]);
    const file = join(dir.path, "notifier.yaml");
    writeFileSync(file, "alerts: {rules: {meter_silent: {enabled: false}}}\nstatistics: {max_gap: 10m}\n");
    const config = loadNotifierConfig({
      MQTT_URL: mosquitto.url,
      MQTT_BASE_TOPIC: "x",
      REDIS_URL: redis.url,
      NOTIFIER_REDIS_PREFIX: `x${randomUUID()}:`,
      NOTIFIER_CONFIG: file,
      XMPP_SERVICE: prosody.directTlsService ?? "",
      XMPP_DOMAIN: "localhost",
      XMPP_USERNAME: "smarty",
      XMPP_PASSWORD: "smarty-pw",
      XMPP_ALLOWED_JIDS: "alice@localhost",
      XMPP_CA_FILE: prosody.caFile ?? "",
      LOG_LEVEL: "silent",
    });
    notifier = await createNotifier(config, { logger: silentLogger(), clock, outboxPollMs: 100 });
    await startAll(notifier.components, silentLogger());
    await notifier.core.whenSubscribed();
    await waitFor(() => notifier.xmpp?.channel.available, 15_000, "bot online");
    alice = await connectUser(prosody, "alice", "alice-pw");
    client = await mqtt.connectAsync(mosquitto.url, { reconnectPeriod: 0 });
  });

  afterAll(async () => {
    await alice?.stop();
    await client?.endAsync();
    if (notifier) await stopAll(notifier.components, silentLogger());
    await Promise.all([prosody?.stop(), mosquitto?.stop(), redis?.stop()]);
    dir.remove();
  });

  const publish = async (t: number, failures: number) => {
    now = t;
    const r = simReading(t, { import_kwh: importAt(plan, t), power_kw: 1, power_failures: failures });
    await client.publishAsync(topics.reading("x", METER), JSON.stringify(r), { qos: 1 });
  };

  it("answers from the core's statistics and pushes an alert raised by a reading", async () => {
    for (const t of times(DAY_START, DAY_START + 2 * 3_600_000, 300_000)) await publish(t, 7);
    await waitFor(() => notifier.core.statistics()?.current.day.readings === 25, 10_000, "statistics");
    const today = (await alice.ask(BOT, "today")).getChildText("body") ?? "";
    expect(today).toContain("Import 2.00 kWh");
    expect(today).toContain("Peak 1.00 kW (15 min)");
    const report = (await alice.ask(BOT, "report day")).getChildText("body") ?? "";
    expect(report).toContain("Email is not configured");

    await publish(DAY_START + 2 * 3_600_000 + 10_000, 8);
    const alert = await waitFor(
      () => alice.messagesFrom(BOT).find((m) => (m.getChildText("body") ?? "").startsWith("[critical]")),
      15_000,
      "alert by chat",
    );
    expect(alert.getChildText("body")).toContain("The meter counted 1 power failure(s)");
    const alerts = (await alice.ask(BOT, "alerts")).getChildText("body") ?? "";
    expect(alerts).toContain("1 active:");
  });
});
