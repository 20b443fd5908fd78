import { type Mosquitto, type PtyPair, startMosquitto, startPtyPair, waitFor } from "@smarty/testkit";
import { encryptedFrame, essentials, expected, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceUntil, buildIngest, connected, subscribe } from "../helpers/harness.js";

describe("serial path through a socat pty pair", () => {
  let broker: Mosquitto;
  let pty: PtyPair;
  beforeAll(async () => {
    broker = await startMosquitto();
    pty = await startPtyPair();
  });
  afterAll(async () => {
    await pty?.stop();
    await broker?.stop();
  });

  it("reads frames from the serial port, survives the cable being pulled and loses nothing sent while connected", async () => {
    const sub = await subscribe(broker.url, ["smarty/+/reading"]);
    const h = buildIngest({
      MQTT_URL: broker.url,
      SMARTY_SOURCE: `serial://${pty.device}`,
      SMARTY_KEY: KEY_HEX,
      INGEST_RECONNECT_MIN: "1s",
      INGEST_RECONNECT_MAX: "4s",
    });
    await h.ingest.start();
    await connected(h);
    await waitFor(() => h.ingest.source.isOpen, 10_000, "serial port open");
    for (let i = 0; i < 5; i++) await pty.write(encryptedFrame(i));
    await waitFor(() => sub.live("/reading").length === 5, 10_000, "first five readings");

    // Half a frame, then the cable is pulled: the partial frame is dropped, not counted as an error.
    await pty.write(encryptedFrame(5).subarray(0, 200));
    await waitFor(() => h.ingest.monitor.counters.bytes === 5 * encryptedFrame(0).length + 200, 10_000, "partial");
    await pty.unplug();
    await waitFor(() => !h.ingest.source.isOpen, 10_000, "loss noticed");
    expect(h.ingest.monitor.currentState).toBe("disconnected");
    // While unplugged, reopen attempts fail (no device) and back off; time passes on the ingest's clock.
    h.clock.advance(20_000);
    await pty.replug();
    await advanceUntil(h, () => h.ingest.source.isOpen, "serial port reopened");
    for (let i = 6; i < 10; i++) await pty.write(encryptedFrame(i));
    await waitFor(() => sub.live("/reading").length === 9, 10_000, "readings after replug");

    const got = sub.live("/reading").map(essentials);
    expect(got).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9].map(expected));
    const c = h.ingest.monitor.counters;
    expect(c.skipped_bytes).toBe(200);
    expect(c.authentication_failures + c.crc_failures + c.format_errors).toBe(0);
    expect(c.missed_frames).toBe(1);
    expect(h.ingest.source.reconnects).toBe(1);
    expect(h.ingest.monitor.currentState).toBe("ok");
    expect(h.logs.messages()).toContain("source lost");
    await h.ingest.stop();
    await sub.end();
  });
  it("reopens a port that went silent without an error (a pty whose far end is gone, a hung adapter)", async () => {
    const sub = await subscribe(broker.url, ["smarty/+/reading"]);
    const h = buildIngest({
      MQTT_URL: broker.url,
      SMARTY_SOURCE: `serial://${pty.device}`,
      SMARTY_KEY: KEY_HEX,
      INGEST_IDLE_TIMEOUT: "60s",
      INGEST_RECONNECT_MIN: "1s",
      INGEST_RECONNECT_MAX: "4s",
    });
    await h.ingest.start();
    await connected(h);
    await waitFor(() => h.ingest.source.isOpen, 10_000, "serial port open");
    await pty.write(encryptedFrame(20));
    await waitFor(() => sub.live("/reading").length === 1, 10_000, "first reading");
    // Six telegrams missed and no error from the port: it is closed and opened again.
    h.clock.advance(61_000);
    await waitFor(() => h.ingest.source.reconnects === 0 && !h.ingest.source.isOpen, 10_000, "idle port closed");
    await advanceUntil(h, () => h.ingest.source.isOpen, "serial port reopened");
    expect(h.ingest.source.reconnects).toBe(1);
    await pty.write(encryptedFrame(21));
    await waitFor(() => sub.live("/reading").length === 2, 10_000, "reading after reopening");
    expect(h.logs.messages()).toContain("source lost");
    await h.ingest.stop();
    await sub.end();
  });
});
