import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { encryptedFrame, essentials, expected, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceUntil, buildIngest, connected, subscribe } from "../helpers/harness.js";
import { startTcpMeter, type TcpMeter } from "../helpers/tcp-meter.js";

describe("TCP path through a local byte bridge", () => {
  let broker: Mosquitto;
  let meter: TcpMeter;
  beforeAll(async () => {
    broker = await startMosquitto();
    meter = await startTcpMeter();
  });
  afterAll(async () => {
    await meter?.stop();
    await broker?.stop();
  });

  it("recovers by itself when the bridge dies mid-stream and comes back, losing nothing sent while connected", async () => {
    const sub = await subscribe(broker.url, ["smarty/+/reading"]);
    const h = buildIngest({ MQTT_URL: broker.url, SMARTY_SOURCE: meter.url, SMARTY_KEY: KEY_HEX });
    await h.ingest.start();
    await connected(h);
    for (let i = 0; i < 5; i++) await meter.write(encryptedFrame(i));
    const half = Math.floor(encryptedFrame(5).length / 2);
    await meter.write(encryptedFrame(5).subarray(0, half));
    await waitFor(() => sub.live("/reading").length === 5, 10_000, "first readings");
    await waitFor(() => h.ingest.monitor.counters.bytes === 5 * encryptedFrame(0).length + half, 10_000, "partial");

    await meter.kill();
    await waitFor(() => !h.ingest.source.isOpen, 10_000, "loss noticed");
    // Refused reconnects back off while the bridge is down.
    h.clock.advance(1000);
    await waitFor(() => h.ingest.source.retrying, 10_000, "retry scheduled after refusal");
    await meter.restart();
    await advanceUntil(h, () => h.ingest.source.isOpen, "reconnected");
    for (let i = 6; i < 10; i++) await meter.write(encryptedFrame(i));
    await waitFor(() => sub.live("/reading").length === 9, 10_000, "readings after reconnect");

    expect(sub.live("/reading").map(essentials)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9].map(expected));
    const c = h.ingest.monitor.counters;
    expect(c.skipped_bytes).toBe(half);
    expect(c.authentication_failures + c.crc_failures + c.format_errors).toBe(0);
    expect(h.ingest.snapshot().reconnects).toBe(1);
    await h.ingest.stop();
    await sub.end();
  });

  it("reopens a connection that stays silent for 60 s", async () => {
    const h = buildIngest({ MQTT_URL: broker.url, SMARTY_SOURCE: meter.url, SMARTY_KEY: KEY_HEX });
    await h.ingest.start();
    await waitFor(() => h.ingest.source.isOpen, 10_000, "open");
    h.clock.advance(60_000);
    expect(h.ingest.source.isOpen).toBe(false);
    expect(h.logs.records().some((r) => r.msg === "source lost" && String(r.reason).startsWith("no data"))).toBe(true);
    await advanceUntil(h, () => h.ingest.source.isOpen, "reopened after idle");
    await h.ingest.stop();
  });
});
