/**
 * A frame captured once must not be accepted again after an ingest restart. The last frame counter and meter time of
 * each meter survive on the broker, in the retained reading; a new ingest reads them back before it accepts frames.
 * The broker runs with the ingest lines of mosquitto/generate-auth.sh's ACL.
 */
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { encryptedFrame, essentials, expected, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIngest, connected, subscribe } from "../helpers/harness.js";
import { startTcpMeter, type TcpMeter } from "../helpers/tcp-meter.js";

const INGEST_PASSWORD = "ingest-Pw-replay-51";
const ACL = `user ingest
topic readwrite smarty/+/reading
topic readwrite smarty/+/state/#
topic readwrite smarty/ingest/+/status
topic readwrite smarty/ingest/+/health
topic readwrite homeassistant/sensor/#
topic read homeassistant/status

user reader
topic read smarty/#
`;

describe("replays across an ingest restart (real mosquitto)", () => {
  let broker: Mosquitto;
  let meter: TcpMeter;
  beforeAll(async () => {
    broker = await startMosquitto({
      users: [
        { username: "ingest", password: INGEST_PASSWORD },
        { username: "reader", password: "reader-pw-0123" },
      ],
      acl: ACL,
    });
    meter = await startTcpMeter();
  });
  afterAll(async () => {
    await meter?.stop();
    await broker?.stop();
  });

  const env = () => ({
    MQTT_URL: broker.url,
    MQTT_USERNAME: "ingest",
    MQTT_PASSWORD: INGEST_PASSWORD,
    SMARTY_SOURCE: meter.url,
    SMARTY_KEY: KEY_HEX,
  });

  it("rejects and counts a frame replayed right after a restart, and accepts the next real one", async () => {
    const sub = await subscribe(broker.url, ["smarty/+/reading"], { username: "reader", password: "reader-pw-0123" });
    const first = buildIngest(env());
    await first.ingest.start();
    await connected(first);
    for (let i = 0; i < 3; i++) {
      await meter.write(encryptedFrame(i));
      first.clock.advance(10_000);
    }
    await waitFor(() => sub.live("/reading").length === 3, 10_000, "readings before the restart");
    await waitFor(() => first.ingest.publisher.queue.length === 0, 10_000, "queue drained");
    await first.ingest.stop();
    await waitFor(() => meter.clients() === 0, 5000, "first ingest gone from the meter");

    const second = buildIngest(env());
    await second.ingest.start();
    expect(second.logs.messages()).toContain("last readings restored");
    await waitFor(() => meter.clients() === 1, 5000, "second ingest on the meter");
    // The captured frame 1 (counter and time both older than the retained reading), sent right after the restart.
    await meter.write(encryptedFrame(1));
    await waitFor(() => second.ingest.monitor.counters.replays === 1, 10_000, "replay counted");
    await meter.write(encryptedFrame(3));
    await waitFor(() => sub.live("/reading").length === 4, 10_000, "the next real reading");
    expect(sub.live("/reading").map(essentials)).toEqual([0, 1, 2, 3].map(expected));
    expect(second.ingest.snapshot()).toMatchObject({ replays: 1, frames_ok: 1, meter_changes: 0 });
    await second.ingest.stop();
    await sub.end();
  });
});
