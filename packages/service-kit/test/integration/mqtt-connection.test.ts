import { topics } from "@smarty/contracts";
import { silentLogger } from "@smarty/service-kit";
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
});
