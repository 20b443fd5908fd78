/**
 * The cable pulled while the meter's bytes are still moving. A read that is under way when the pty (or a USB adapter)
 * hangs up gets 0 bytes instead of EIO, and from then on every read does. Whether a pull lands on such a read or on
 * a port waiting for data depends on timing, so the test pulls the cable several times in the middle of a stream.
 */
import { open } from "node:fs/promises";
import { type Mosquitto, type PtyPair, startMosquitto, startPtyPair, waitFor } from "@smarty/testkit";
import { encryptedFrame, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceUntil, buildIngest, connected, subscribe } from "../helpers/harness.js";

/** Writes frames first, first+1 … into the pty's meter end as fast as it takes them, until the link vanishes. */
async function stream(peer: string, first: number): Promise<{ readonly stop: () => Promise<number> }> {
  const handle = await open(peer, "w");
  let next = first;
  let running = true;
  const done = (async () => {
    try {
      while (running) await handle.write(encryptedFrame(next++));
    } catch {
      // EIO once socat is gone: the meter's bytes go nowhere, as on a pulled cable.
    }
    await handle.close().catch(() => undefined);
    return next;
  })();
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}

describe("serial cable pulled with frames in flight", () => {
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

  it("reports each loss, reopens when the pty returns, and its heap stays bounded", async () => {
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

    // Sampled on every poll of the waits: a read loop on a hung-up tty grows the heap without end.
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    const sampled = (check: () => boolean) => () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      return check();
    };
    const frameBytes = encryptedFrame(0).length;
    const rounds = 4;
    let next = 0;
    for (let round = 1; round <= rounds; round++) {
      const before = h.ingest.monitor.counters.bytes;
      const writer = await stream(pty.peer, next);
      await waitFor(
        sampled(() => h.ingest.monitor.counters.bytes >= before + 10 * frameBytes),
        10_000,
        "frames read",
      );
      await pty.unplug();
      next = await writer.stop();
      await waitFor(
        sampled(() => !h.ingest.source.isOpen),
        10_000,
        `loss ${round} noticed`,
      );
      expect(h.ingest.monitor.currentState).toBe("disconnected");
      h.clock.advance(5_000);
      await pty.replug();
      await advanceUntil(
        h,
        sampled(() => h.ingest.source.isOpen),
        `serial port reopened (${round})`,
      );
      expect(h.ingest.source.reconnects).toBe(round);
    }
    expect(h.logs.messages().filter((m) => m === "source lost")).toHaveLength(rounds);
    expect(peak - baseline).toBeLessThan(32 * 1024 * 1024);

    // After the last reopen the port still works.
    const published = sub.live("/reading").length;
    await pty.write(encryptedFrame(next + 1));
    await waitFor(() => sub.live("/reading").length === published + 1, 10_000, "reading after the last reopen");
    await h.ingest.stop();
    await sub.end();
  });
});
