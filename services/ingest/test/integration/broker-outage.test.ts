import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { encryptedFrame, essentials, expected, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIngest, connected, subscribe } from "../helpers/harness.js";
import { startTcpMeter, type TcpMeter } from "../helpers/tcp-meter.js";

describe("broker outage while frames flow", () => {
  let broker: Mosquitto;
  let meter: TcpMeter;
  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
    meter = await startTcpMeter();
  });
  afterAll(async () => {
    await meter?.stop();
    await broker?.stop();
  });

  it("queues readings for 30 simulated seconds of broker downtime, then delivers each once, in order", async () => {
    // A persistent session, so the subscriber also misses nothing while the broker restarts.
    const sub = await subscribe(broker.url, ["smarty/+/reading"], {
      clientId: "outage-reader",
      clean: false,
      properties: { sessionExpiryInterval: 3600 },
    });
    const h = buildIngest({ MQTT_URL: broker.url, SMARTY_SOURCE: meter.url, SMARTY_KEY: KEY_HEX });
    await h.ingest.start();
    await connected(h);
    for (let i = 0; i < 3; i++) {
      await meter.write(encryptedFrame(i));
      h.clock.advance(10_000);
    }
    await waitFor(() => sub.live("/reading").length === 3, 10_000, "readings before the outage");
    // Otherwise the broker may stop before the subscriber's last PUBACK and redeliver that reading (QoS 1).
    await sub.sync();

    await broker.pause();
    await waitFor(() => !h.ingest.mqtt.connected, 10_000, "ingest notices the broker is gone");
    for (let i = 3; i < 6; i++) {
      await meter.write(encryptedFrame(i));
      await waitFor(() => h.ingest.monitor.counters.frames_ok === i + 1, 10_000, `frame ${i} decoded`);
      h.clock.advance(10_000);
    }
    expect(h.ingest.snapshot().queue_length).toBe(3);
    expect(h.ingest.snapshot().state).toBe("ok");

    await broker.resume();
    await waitFor(() => h.ingest.publisher.queue.length === 0, 15_000, "queue drained after reconnect");
    // A last frame after the drain: anything duplicated would arrive before it (one topic, one publisher, QoS 1).
    await meter.write(encryptedFrame(6));
    await waitFor(() => sub.live("/reading").length >= 7, 15_000, "all readings");
    expect(sub.live("/reading").map(essentials)).toEqual([0, 1, 2, 3, 4, 5, 6].map(expected));
    expect(h.ingest.snapshot().dropped_readings).toBe(0);
    await h.ingest.stop();
    await sub.end();
  });

  it("reports the queue it could not flush when stopped while the broker is down", async () => {
    const h = buildIngest({
      MQTT_URL: broker.url,
      SMARTY_SOURCE: meter.url,
      SMARTY_KEY: KEY_HEX,
      INGEST_SHUTDOWN_TIMEOUT: "2s",
    });
    await h.ingest.start();
    await connected(h);
    await broker.pause();
    await waitFor(() => !h.ingest.mqtt.connected, 10_000, "disconnected");
    await meter.write(encryptedFrame(50));
    await waitFor(() => h.ingest.publisher.queue.length === 1, 10_000, "queued");
    const stopping = h.ingest.stop();
    await advanceStop(h.clock, stopping);
    const line = h.logs.records().find((r) => r.msg === "publish queue not empty at stop: readings not published");
    expect(line?.queue_length).toBe(1);
    await broker.resume();
  });
});

/** Moves the ingest clock past the shutdown timeout while stop() waits on it. */
async function advanceStop(clock: { advance(ms: number): void }, stopping: Promise<void>) {
  let done = false;
  void stopping.then(() => {
    done = true;
  });
  await waitFor(
    () => {
      if (!done) clock.advance(500);
      return done;
    },
    10_000,
    "stop",
  );
}
