import { topics } from "@smarty/contracts";
import { type Component, silentLogger } from "@smarty/service-kit";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MqttConnection } from "../../src/mqtt-connection.js";

describe("MqttConnection against a real mosquitto", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ users: [{ username: "svc", password: "pw" }] });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("publishes online on connect and offline on a clean stop, retained", async () => {
    const conn = new MqttConnection({
      settings: { url: broker.url, username: "svc", password: "pw", protocolVersion: 5, baseTopic: "smarty" },
      service: "exporter",
      instance: "t1",
      logger: silentLogger(),
    });
    await conn.start();
    await conn.waitConnected();
    const seen: string[] = [];
    const sub = await mqtt.connectAsync(broker.url, { username: "svc", password: "pw", reconnectPeriod: 0 });
    sub.on("message", (_t, p) => seen.push(p.toString()));
    await sub.subscribeAsync(topics.status("smarty", "exporter", "t1"));
    await waitFor(() => seen.includes("online"), 5000, "online status");
    await conn.stop();
    await waitFor(() => seen.at(-1) === "offline", 5000, "offline status");
    await sub.endAsync();
    expect(seen.at(-1)).toBe("offline");
  });

  it("is the service's mqtt component, and sends through the topic map with the topic's retain flag", async () => {
    const conn = new MqttConnection({
      settings: { url: broker.url, username: "svc", password: "pw", protocolVersion: 5, baseTopic: "smarty" },
      service: "notifier",
      instance: "t2",
      logger: silentLogger(),
    });
    const component: Component = conn;
    expect(component.name).toBe("mqtt");
    await component.start();
    await conn.waitConnected();
    await conn.send("notifierResponse", {}, { status: "ok", transaction: "t" });
    const got: { topic: string; payload: string; retain: boolean }[] = [];
    const sub = await mqtt.connectAsync(broker.url, { username: "svc", password: "pw", reconnectPeriod: 0 });
    sub.on("message", (topic, p, packet) => got.push({ topic, payload: p.toString(), retain: packet.retain }));
    await sub.subscribeAsync("smarty/notifier/cmd/response");
    await conn.send("notifierResponse", {}, { status: "error", error: "x" });
    await waitFor(() => got.length === 1, 5000, "response");
    await component.stop();
    await sub.endAsync();
    // Not retained: a subscriber arriving later does not get the earlier reply.
    expect(got).toEqual([
      { topic: "smarty/notifier/cmd/response", payload: '{"status":"error","error":"x"}', retain: false },
    ]);
  });
});
