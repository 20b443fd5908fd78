import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { homeAssistantSensorSchema } from "@smarty/contracts";
import { parseTelegram } from "@smarty/p1";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { expected, METER_ID, plainTelegram } from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { type MqttSink, ReadingPublisher } from "../../src/publish/reading-publisher.js";

/** Records what would go to the broker; acknowledges at once. */
class RecordingSink extends EventEmitter<{ connect: [] }> implements MqttSink {
  connected = true;
  readonly messages: { topic: string; payload: string; retain: boolean }[] = [];
  publish(topic: string, payload: string | Buffer, options: { qos: 1; retain: boolean }): Promise<void> {
    this.messages.push({ topic, payload: String(payload), retain: options.retain });
    return Promise.resolve();
  }
  take() {
    return this.messages.splice(0);
  }
}

const settle = () => new Promise((r) => setImmediate(r));

function setup(discovery?: string) {
  const mqtt = new RecordingSink();
  const clock = new ManualClock();
  const p = new ReadingPublisher({
    mqtt,
    baseTopic: "smarty",
    instance: "main",
    clock,
    logger: silentLogger(),
    queueLimit: 100,
    stateRefreshMs: 300_000,
    discoveryPrefix: discovery,
    shutdownTimeoutMs: 1000,
  });
  p.start();
  return { mqtt, clock, p };
}

const reading = (i: number) => parseTelegram(plainTelegram(i));

describe("ReadingPublisher", () => {
  it("publishes the reading retained and every state once at first", async () => {
    const { mqtt, p } = setup();
    p.publish(reading(0));
    await settle();
    const msgs = mqtt.take();
    const r = msgs.find((m) => m.topic === `smarty/${METER_ID}/reading`);
    expect(r?.retain).toBe(true);
    expect(JSON.parse(r?.payload ?? "{}").energy_import_kwh).toBe(expected(0).energy_import_kwh);
    const states = Object.fromEntries(
      msgs.filter((m) => m.topic.includes("/state/")).map((m) => [m.topic.split("/").at(-1), m.payload]),
    );
    expect(states).toMatchObject({
      energy_import_kwh: "1000",
      energy_export_kwh: "12.345",
      power_import_kw: "0.5",
      voltage_l1_v: "230",
      current_limit_a: "[100,-63]",
      logical_device_name: METER_ID,
    });
    expect(msgs.every((m) => m.retain)).toBe(true);
  });

  it("publishes a state again only when it changed, or after the refresh period", async () => {
    const { mqtt, p, clock } = setup();
    p.publish(reading(0));
    await settle();
    mqtt.take();
    clock.advance(10_000);
    p.publish(reading(1));
    await settle();
    const changed = mqtt
      .take()
      .filter((m) => m.topic.includes("/state/"))
      .map((m) => m.topic.split("/").at(-1));
    // Telegram 1 differs from 0 in time, import energy, power, voltage and current.
    expect(changed.sort()).toEqual(
      ["current_l1_a", "energy_import_kwh", "power_import_kw", "timestamp", "voltage_l1_v"].sort(),
    );
    clock.advance(300_000);
    p.publish(reading(21));
    await settle();
    expect(mqtt.take().filter((m) => m.topic.endsWith("/state/energy_export_kwh"))).toHaveLength(1);
  });

  it("announces Home Assistant sensors once per connection, for the keys the meter sends", async () => {
    const { mqtt, p } = setup("homeassistant");
    p.publish(reading(0));
    await settle();
    const disc = mqtt.take().filter((m) => m.topic.startsWith("homeassistant/"));
    const ids = disc.map((m) => m.topic.split("/")[3]);
    expect(ids).toContain("energy_import_kwh");
    expect(ids).toContain("current_limit_a_1");
    expect(ids).not.toContain("energy_import_tariff1_kwh");
    for (const m of disc) expect(homeAssistantSensorSchema.safeParse(JSON.parse(m.payload)).success).toBe(true);
    p.publish(reading(1));
    await settle();
    expect(mqtt.take().filter((m) => m.topic.startsWith("homeassistant/"))).toHaveLength(0);
    mqtt.emit("connect");
    p.publish(reading(2));
    await settle();
    expect(mqtt.take().filter((m) => m.topic.startsWith("homeassistant/"))).toHaveLength(disc.length);
  });

  it("gives every sensor expire_after a minute above the state refresh, and the ingest's version as origin", async () => {
    const { mqtt, p } = setup("homeassistant");
    p.publish(reading(0));
    await settle();
    const disc = mqtt.take().filter((m) => m.topic.startsWith("homeassistant/"));
    const version = (
      JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    for (const m of disc) {
      const payload = JSON.parse(m.payload);
      expect(payload.expire_after).toBe(360);
      expect(payload.origin).toEqual({ name: "smarty", sw_version: version });
    }
  });

  it("publishes readings only when states are off (replay)", async () => {
    const mqtt = new RecordingSink();
    const p = new ReadingPublisher({
      mqtt,
      baseTopic: "b",
      instance: "replay",
      clock: new ManualClock(),
      logger: silentLogger(),
      queueLimit: 10,
      states: false,
      stateRefreshMs: 1,
      shutdownTimeoutMs: 10,
    });
    p.start();
    p.publish(reading(0));
    await p.stop();
    expect(mqtt.messages.map((m) => m.topic)).toEqual([`b/${METER_ID}/reading`]);
  });
});
