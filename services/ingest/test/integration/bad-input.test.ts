import { ingestHealthSchema, topics } from "@smarty/contracts";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import {
  encryptedFrame,
  essentials,
  expected,
  KEY_HEX,
  plainTelegram,
  WRONG_KEY_HEX,
} from "@smarty/testkit/smarty-meter";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildIngest, connected, type Harness, type Subscriber, subscribe } from "../helpers/harness.js";
import { startTcpMeter, type TcpMeter } from "../helpers/tcp-meter.js";

describe("bad input never stops the ingest", () => {
  let broker: Mosquitto;
  let meter: TcpMeter;
  let sub: Subscriber;
  let h: Harness | undefined;
  beforeAll(async () => {
    broker = await startMosquitto();
    sub = await subscribe(broker.url, ["smarty/#"]);
  });
  afterEach(async () => {
    await h?.ingest.stop();
    h = undefined;
    await meter?.stop();
  });
  afterAll(async () => {
    await sub?.end();
    await broker?.stop();
  });

  async function start(instance: string, env: Record<string, string> = {}) {
    meter = await startTcpMeter();
    h = buildIngest({
      MQTT_URL: broker.url,
      SMARTY_SOURCE: meter.url,
      SMARTY_INSTANCE: instance,
      SMARTY_KEY: KEY_HEX,
      ...env,
    });
    await h.ingest.start();
    await connected(h);
    await waitFor(() => meter.clients() > 0, 10_000, "ingest connected to the meter");
    return h;
  }

  const health = (instance: string) => {
    const raw = sub.last(topics.health("smarty", "ingest", instance));
    return raw === undefined ? undefined : ingestHealthSchema.parse(JSON.parse(raw));
  };

  it("wrong key: counts authentication failures, says the key is probably wrong in state, hint and log", async () => {
    const h = await start("wrongkey", { SMARTY_KEY: WRONG_KEY_HEX });
    const before = sub.live("/reading").length;
    for (let i = 0; i < 4; i++) await meter.write(encryptedFrame(i));
    await waitFor(() => health("wrongkey")?.state === "wrong_key", 10_000, "wrong_key on the health topic");
    expect(health("wrongkey")?.hint).toMatch(/P1 key \(SMARTY_KEY\) is probably wrong/);
    await waitFor(() => h.ingest.monitor.counters.authentication_failures === 4, 10_000, "4 failures");
    expect(h.logs.messages().filter((m) => m.startsWith("P1 key is probably wrong"))).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${h.ingest.http.boundPort}/healthz`)).status).toBe(503);
    expect(sub.live("/reading").length).toBe(before);
    expect(h.logs.text().toLowerCase()).not.toContain(WRONG_KEY_HEX.toLowerCase());
  });

  it("tampered and replayed frames: rejected and counted, the good ones published in order", async () => {
    const h = await start("tamper");
    const before = sub.live("/reading").length;
    const tampered = Buffer.from(encryptedFrame(11));
    tampered[60] = tampered[60]! ^ 0x80;
    const stream = [encryptedFrame(10), tampered, encryptedFrame(12), encryptedFrame(12), encryptedFrame(10)];
    for (const f of stream) await meter.write(f);
    await meter.write(encryptedFrame(13));
    await waitFor(() => h.ingest.monitor.counters.frames_ok === 3, 10_000, "three good frames");
    const c = h.ingest.monitor.counters;
    expect(c).toMatchObject({ authentication_failures: 1, replays: 2, missed_frames: 1 });
    await waitFor(() => sub.live("/reading").length === before + 3, 10_000, "published");
    expect(sub.live("/reading").slice(before).map(essentials)).toEqual([10, 12, 13].map(expected));
    expect(h.ingest.monitor.currentState).toBe("ok");
  });

  it("plaintext injected while a key is set: rejected, counted on the health topic, the meter still published", async () => {
    const h = await start("inject");
    const before = sub.live("/reading").length;
    // Frames after the previous test's and before the next one's: the broker keeps the last reading across tests.
    await meter.write(encryptedFrame(14));
    // A forged plaintext telegram from a day ahead, as `smarty simulate --plain` would write to the bridge.
    await meter.write(Buffer.from(plainTelegram(14 + 8640), "latin1"));
    await meter.write(encryptedFrame(15));
    await waitFor(() => h.ingest.monitor.counters.frames_ok === 2, 10_000, "the meter's frames");
    h.clock.advance(30_000); // the next periodic health message (INGEST_HEALTH_INTERVAL)
    await waitFor(() => (health("inject")?.plaintext_rejected ?? 0) === 1, 10_000, "counted on the health topic");
    await waitFor(() => sub.live("/reading").length === before + 2, 10_000, "published");
    expect(sub.live("/reading").slice(before).map(essentials)).toEqual([14, 15].map(expected));
    expect(h.ingest.monitor.counters.stale_readings).toBe(0);
  });

  it("plaintext meter: readings published without a key", async () => {
    const h = await start("plain", { SMARTY_KEY: "" });
    const before = sub.live("/reading").length;
    for (let i = 20; i < 23; i++) await meter.write(Buffer.from(plainTelegram(i), "latin1"));
    await waitFor(() => sub.live("/reading").length === before + 3, 10_000, "plaintext readings");
    expect(sub.live("/reading").slice(before).map(essentials)).toEqual(
      [20, 21, 22].map((i) => ({ ...expected(i), frame_counter: undefined })),
    );
    expect(h.logs.messages()).toContain("plaintext telegrams: this meter sends unencrypted DSMR");
  });

  it("garbage stream: no_frames with the inverted-signal hint after 30 s, then recovers on a good frame", async () => {
    const h = await start("garbage");
    for (let s = 0; s < 31; s++) {
      await meter.write(Buffer.alloc(1000, 0x55 + (s % 3)));
      await waitFor(() => h.ingest.monitor.counters.bytes === (s + 1) * 1000, 10_000, "bytes in");
      h.clock.advance(1000);
    }
    await waitFor(() => health("garbage")?.state === "no_frames", 10_000, "no_frames on the health topic");
    expect(health("garbage")?.hint).toContain("signal probably not inverted / wrong baud rate");
    expect(h.logs.messages().some((m) => m.includes("not inverted"))).toBe(true);
    expect(h.ingest.monitor.counters.skipped_bytes).toBeGreaterThan(0);
    await meter.write(encryptedFrame(30));
    await waitFor(() => health("garbage")?.state === "ok", 10_000, "ok again");
    expect(h.ingest.monitor.counters.frames_ok).toBe(1);
  });
});
