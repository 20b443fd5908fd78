import { decodeStateValue, ingestHealthSchema, readingSchema, topics } from "@smarty/contracts";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { encryptedFrame, essentials, expected, KEY_HEX, METER_ID } from "@smarty/testkit/smarty-meter";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIngest, connected, subscribe } from "../helpers/harness.js";
import { startTcpMeter, type TcpMeter } from "../helpers/tcp-meter.js";

const INGEST_PASSWORD = "ingest-Pw-7f3a9c";
// The ingest may publish only its own topics; Home Assistant's prefix is deliberately not granted here.
const ACL = `user ingest
topic readwrite smarty/+/reading
topic readwrite smarty/+/state/#
topic readwrite smarty/ingest/+/status
topic readwrite smarty/ingest/+/health

user reader
topic read smarty/#
topic read homeassistant/#
`;

describe("ingest → mosquitto with password file and ACL (MQTT 5)", () => {
  let broker: Mosquitto;
  let meter: TcpMeter;
  beforeAll(async () => {
    broker = await startMosquitto({
      users: [
        { username: "ingest", password: INGEST_PASSWORD },
        { username: "reader", password: "reader-pw" },
      ],
      acl: ACL,
    });
    meter = await startTcpMeter();
  });
  afterAll(async () => {
    await meter?.stop();
    await broker?.stop();
  });

  it("delivers the exact readings the meter sent, in order, with states, health and status", async () => {
    const sub = await subscribe(broker.url, ["smarty/#", "homeassistant/#"], {
      username: "reader",
      password: "reader-pw",
    });
    const h = buildIngest({
      MQTT_URL: broker.url,
      MQTT_USERNAME: "ingest",
      MQTT_PASSWORD: INGEST_PASSWORD,
      MQTT_PROTOCOL_VERSION: "5",
      SMARTY_SOURCE: meter.url,
      SMARTY_KEY: KEY_HEX,
      SMARTY_HA_DISCOVERY: "true",
    });
    await h.ingest.start();
    await connected(h);
    const n = 20;
    for (let i = 0; i < n; i++) await meter.write(encryptedFrame(i));
    await waitFor(() => sub.live("/reading").length === n, 10_000, "all readings");

    const readings = sub.live("/reading");
    expect(readings.map(essentials)).toEqual(Array.from({ length: n }, (_, i) => expected(i)));
    for (const r of readings) expect(readingSchema.safeParse(r).success).toBe(true);
    const readingTopic = topics.reading("smarty", METER_ID);
    expect(sub.messages.filter((m) => m.topic === readingTopic)).toHaveLength(n);

    // State topics follow their reading; the last one may still be on its way.
    const energyTopic = topics.state("smarty", METER_ID, "energy_import_kwh");
    const lastEnergy = expected(n - 1).energy_import_kwh;
    await waitFor(() => decodeStateValue(sub.last(energyTopic) ?? "") === lastEnergy, 10_000, "last energy state");
    expect(decodeStateValue(sub.last(energyTopic) ?? "")).toBe(lastEnergy);
    // Export energy never changes: one state message (no refresh within 200 simulated seconds).
    const exportTopic = topics.state("smarty", METER_ID, "energy_export_kwh");
    expect(sub.messages.filter((m) => m.topic === exportTopic).map((m) => m.payload)).toEqual(["12.345"]);

    // The ACL refuses discovery (MQTT 5 reports it); counted, and the readings above were not held back.
    await waitFor(() => h.ingest.publisher.failedMessages > 0, 5000, "refused discovery counted");
    expect(sub.messages.some((m) => m.topic.startsWith("homeassistant/"))).toBe(false);

    h.ingest.health.publish();
    const healthTopic = topics.health("smarty", "ingest", "main");
    await waitFor(() => sub.last(healthTopic)?.includes(`"frames_ok":${n}`), 5000, "health with counters");
    const health = ingestHealthSchema.parse(JSON.parse(sub.last(healthTopic) ?? "{}"));
    expect(health).toMatchObject({ state: "ok", frames_ok: n, authentication_failures: 0, meters: [METER_ID] });

    const res = await fetch(`http://127.0.0.1:${h.ingest.http.boundPort}/healthz`);
    expect(res.status).toBe(200);

    const statusTopic = topics.status("smarty", "ingest", "main");
    expect(sub.last(statusTopic)).toBe("online");
    await h.ingest.stop();
    await waitFor(() => sub.last(statusTopic) === "offline", 5000, "offline status");
    await sub.end();

    // Neither the P1 key nor the broker password reaches any log line, at any level.
    const text = h.logs.text();
    expect(h.logs.lines.length).toBeGreaterThan(5);
    expect(text.toLowerCase()).not.toContain(KEY_HEX.toLowerCase());
    expect(text).not.toContain(INGEST_PASSWORD);
  });

  it("the broker refuses the ingest user outside its topics (MQTT 5 shows the denial)", async () => {
    const c = await mqtt.connectAsync(broker.url, {
      protocolVersion: 5,
      username: "ingest",
      password: INGEST_PASSWORD,
      reconnectPeriod: 0,
    });
    await expect(c.publishAsync("smarty/alerts/x/y", "z", { qos: 1 })).rejects.toThrow(/Not authorized/);
    await expect(c.publishAsync("elsewhere/reading", "z", { qos: 1 })).rejects.toThrow(/Not authorized/);
    await c.endAsync();
  });

  it("speaks MQTT 3.1.1 by default", async () => {
    const sub = await subscribe(broker.url, ["smarty/+/reading"], { username: "reader", password: "reader-pw" });
    const h = buildIngest({
      MQTT_URL: broker.url,
      MQTT_USERNAME: "ingest",
      MQTT_PASSWORD: INGEST_PASSWORD,
      SMARTY_SOURCE: meter.url,
      SMARTY_KEY: KEY_HEX,
      SMARTY_INSTANCE: "v4",
    });
    const clientsBefore = meter.clients();
    await h.ingest.start();
    await connected(h);
    await waitFor(() => meter.clients() > clientsBefore, 5000, "ingest on the meter");
    await meter.write(encryptedFrame(100));
    await waitFor(() => sub.live("/reading").length === 1, 10_000, "reading over 3.1.1");
    expect(essentials(sub.live("/reading")[0]!)).toEqual(expected(100));
    await h.ingest.stop();
    await sub.end();
  });
});
