import { EventEmitter } from "node:events";
import { ingestHealthSchema } from "@smarty/contracts";
import { IngestMonitor, type MqttSink } from "@smarty/ingest-core";
import { HttpServerComponent, ManualClock, silentLogger } from "@smarty/service-kit";
import { afterEach, describe, expect, it } from "vitest";
import { HealthReporter, healthzHandler } from "../src/mqtt/health.js";

class RecordingSink extends EventEmitter<{ connect: [] }> implements MqttSink {
  connected = true;
  readonly messages: { topic: string; payload: string; retain: boolean }[] = [];
  publish(topic: string, payload: string | Buffer, options: { qos: 1; retain: boolean }): Promise<void> {
    this.messages.push({ topic, payload: String(payload), retain: options.retain });
    return Promise.resolve();
  }
}

function setup() {
  const clock = new ManualClock();
  const monitor = new IngestMonitor({ clock, logger: silentLogger() });
  const snapshot = () =>
    monitor.snapshot({ instance: "main", source: "x", startedAt: 0, reconnects: 0, queueLength: 0, dropped: 0 });
  return { clock, monitor, snapshot };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe("health", () => {
  it("publishes retained, schema-valid health on start, on state change and every interval", () => {
    const { clock, monitor, snapshot } = setup();
    const mqtt = new RecordingSink();
    const h = new HealthReporter({
      mqtt,
      baseTopic: "smarty",
      instance: "main",
      intervalMs: 30_000,
      clock,
      logger: silentLogger(),
      monitor,
      snapshot,
    });
    h.start();
    expect(mqtt.messages).toHaveLength(1);
    monitor.sourceOpened();
    monitor.frameOk("M1");
    const states = mqtt.messages.map((m) => JSON.parse(m.payload).state);
    expect(states.at(-1)).toBe("ok");
    const before = mqtt.messages.length;
    clock.advance(30_000);
    expect(mqtt.messages.length).toBeGreaterThan(before);
    for (const m of mqtt.messages) {
      expect(m.topic).toBe("smarty/ingest/main/health");
      expect(m.retain).toBe(true);
      expect(ingestHealthSchema.safeParse(JSON.parse(m.payload)).success).toBe(true);
    }
  });

  it("answers /healthz with 200 while ok and 503 with the hint when the key is wrong", async () => {
    const { monitor, snapshot } = setup();
    const http = new HttpServerComponent(healthzHandler(snapshot), 0, "127.0.0.1");
    await http.start();
    stops.push(() => http.stop());
    const url = `http://127.0.0.1:${http.boundPort}`;
    monitor.sourceOpened();
    monitor.frameOk("M1");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    for (let i = 0; i < 3; i++) monitor.authenticationFailed(false);
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ state: "wrong_key", hint: expect.stringMatching(/P1 key/) });
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });
});
