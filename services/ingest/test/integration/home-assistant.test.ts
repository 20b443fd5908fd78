/**
 * Home Assistant through the real ingest and mosquitto (with the ingest lines of mosquitto/generate-auth.sh's ACL):
 * gas and water channels reach state topics and discovery, a channel that leaves the telegram loses its entity,
 * the health topic turns the sensors unavailable when the meter falls silent, and turning discovery off removes
 * every entity the ingest announced before.
 */
import { homeAssistantSensorSchema, topics } from "@smarty/contracts";
import { encodeTelegram, encryptTelegram, type MbusSpec } from "@smarty/p1";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { FIRST_COUNTER, KEY, KEY_HEX, METER_ID, SYSTEM_TITLE, T0, telegramSpec } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceUntil, buildIngest, connected, type Subscriber, subscribe } from "../helpers/harness.js";
import { startTcpMeter, type TcpMeter } from "../helpers/tcp-meter.js";

const INGEST_PASSWORD = "ingest-Pw-ha-2291";
const ACL = `user ingest
topic readwrite smarty/+/reading
topic write smarty/+/state/+
topic readwrite smarty/ingest/+/status
topic readwrite smarty/ingest/+/health
topic readwrite homeassistant/sensor/#

user homeassistant
topic read smarty/#
topic read homeassistant/#
topic readwrite test/sync
`;

const NODE = `smarty_${METER_ID}`;
const config = (object: string) => topics.discovery("homeassistant", NODE, object);
const state = (key: string) => topics.state("smarty", METER_ID, key);

function frame(i: number, withWater: boolean): Buffer {
  const gas: MbusSpec = { channel: 1, device_type: 3, value: 1000 + i / 100, unit: "m3", time: T0, valve_state: 1 };
  const water: MbusSpec = { channel: 2, device_type: 7, value: 50 + i / 1000, unit: "m3", time: T0 };
  const text = encodeTelegram({ ...telegramSpec(i), mbus: withWater ? [gas, water] : [gas] });
  return encryptTelegram(text, { key: KEY, systemTitle: SYSTEM_TITLE, frameCounter: FIRST_COUNTER + i });
}

/** The retained messages under a filter, as a client connecting now sees them. */
async function retained(url: string, filter: string): Promise<Map<string, string>> {
  const sub = await subscribe(url, [filter], { username: "homeassistant", password: "ha-pw-0042" });
  await sub.sync();
  await sub.sync();
  await sub.end();
  return new Map(sub.messages.filter((m) => m.retain).map((m) => [m.topic, m.payload]));
}

describe("Home Assistant discovery through ingest and mosquitto", () => {
  let broker: Mosquitto;
  let meter: TcpMeter;
  let sub: Subscriber;
  beforeAll(async () => {
    broker = await startMosquitto({
      users: [
        { username: "ingest", password: INGEST_PASSWORD },
        { username: "homeassistant", password: "ha-pw-0042" },
      ],
      acl: ACL,
    });
    meter = await startTcpMeter();
    sub = await subscribe(broker.url, ["smarty/#", "homeassistant/#"], {
      username: "homeassistant",
      password: "ha-pw-0042",
    });
  });
  afterAll(async () => {
    await sub?.end();
    await meter?.stop();
    await broker?.stop();
  });

  const env = (discovery: boolean) => ({
    MQTT_URL: broker.url,
    MQTT_USERNAME: "ingest",
    MQTT_PASSWORD: INGEST_PASSWORD,
    SMARTY_SOURCE: meter.url,
    SMARTY_KEY: KEY_HEX,
    SMARTY_HA_DISCOVERY: String(discovery),
  });

  it("announces gas and water, removes a channel that goes, and goes unavailable when the meter falls silent", async () => {
    const h = buildIngest(env(true));
    await h.ingest.start();
    await connected(h);
    let i = 0;
    await meter.write(frame(i++, true));

    // State topics and discovery of both channels.
    await waitFor(() => sub.last(state("mbus2_value")) !== undefined, 10_000, "water state");
    expect(sub.last(state("mbus1_value"))).toBe("1000");
    expect(sub.last(state("mbus2_value"))).toBe("50");
    await waitFor(() => sub.last(config("mbus2_value")) !== undefined, 10_000, "water discovery");
    const gas = homeAssistantSensorSchema.parse(JSON.parse(sub.last(config("mbus1_value")) ?? "{}"));
    expect(gas).toMatchObject({
      state_topic: state("mbus1_value"),
      device_class: "gas",
      state_class: "total_increasing",
      unit_of_measurement: "m³",
      availability_mode: "all",
    });
    const water = homeAssistantSensorSchema.parse(JSON.parse(sub.last(config("mbus2_value")) ?? "{}"));
    expect(water).toMatchObject({ device_class: "water", unit_of_measurement: "m³" });
    // The reading keeps the meter's unit text.
    const reading = sub.live("/reading").at(-1) as { mbus: { unit: string }[] };
    expect(reading.mbus.map((m) => m.unit)).toEqual(["m3", "m3"]);

    // The water meter leaves the telegram: its entity is removed after six readings in a row without it.
    for (let k = 0; k < 6; k++) await meter.write(frame(i++, false));
    await waitFor(() => sub.last(config("mbus2_value")) === "", 10_000, "water config removed");
    expect(sub.last(config("mbus1_value"))).not.toBe("");

    // Availability: the health topic leaves `ok` when no frame comes for INGEST_NO_FRAMES_TIMEOUT.
    const [, healthAvailability] = gas.availability;
    expect(healthAvailability?.topic).toBe(topics.health("smarty", "ingest", "main"));
    const healthState = () => (JSON.parse(sub.last(healthAvailability!.topic) ?? "{}") as { state?: string }).state;
    await waitFor(() => healthState() === "ok", 10_000, "health ok");
    await advanceUntil(h, () => healthState() !== "ok" && healthState() !== undefined, "meter silent", 5000);
    expect(healthState()).toBe("no_data");

    await h.ingest.stop();
    const left = await retained(broker.url, "homeassistant/#");
    expect(left.has(config("mbus1_value"))).toBe(true);
    expect(left.has(config("mbus2_value"))).toBe(false);
  });

  it("removes every entity announced before when discovery is turned off", async () => {
    expect((await retained(broker.url, "homeassistant/#")).size).toBeGreaterThan(10);
    const h = buildIngest(env(false));
    await h.ingest.start();
    await connected(h);
    await waitFor(
      () => h.logs.messages().includes("home assistant discovery off: announced sensors removed"),
      10_000,
      "removal logged",
    );
    expect((await retained(broker.url, "homeassistant/#")).size).toBe(0);
    await h.ingest.stop();
  });
});
