import { PassThrough } from "node:stream";
import { BurstLogger, ManualClock, silentLogger } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { SSE_RETRY_MS, SseHub, sseEvent } from "../src/sse-hub.js";

function hub(options: { maxBufferedBytes?: number; maxClients?: number } = {}) {
  const clock = new ManualClock();
  const logger = silentLogger();
  const h = new SseHub({ clock, logger, burst: new BurstLogger(logger, clock), heartbeatMs: 15_000, ...options });
  h.start();
  return { clock, h };
}

/** A client that reads everything, collecting the text. */
function reader() {
  const s = new PassThrough();
  let text = "";
  s.setEncoding("utf8");
  s.on("data", (c: string) => {
    text += c;
  });
  return { s, text: () => text };
}

describe("SseHub", () => {
  it("formats an event as one event line and one data line", () => {
    expect(sseEvent("meter", { id: "m1", w: -5 })).toBe('event: meter\ndata: {"id":"m1","w":-5}\n\n');
  });

  it("writes the retry delay and the snapshot first, then every broadcast", () => {
    const { h } = hub();
    const c = reader();
    h.add(c.s, sseEvent("snapshot", { n: 0 }));
    h.broadcast("meter", { n: 1 });
    expect(c.text()).toBe(
      `retry: ${SSE_RETRY_MS}\n\nevent: snapshot\ndata: {"n":0}\n\nevent: meter\ndata: {"n":1}\n\n`,
    );
  });

  it("sends a heartbeat comment every 15 s", () => {
    const { clock, h } = hub();
    const c = reader();
    h.add(c.s, "");
    clock.advance(45_000);
    expect(c.text().match(/^: hb$/gm)).toHaveLength(3);
  });

  it("drops a client that stops reading, and the others keep receiving", () => {
    const { h } = hub({ maxBufferedBytes: 64 * 1024 });
    const fast = reader();
    const slow = new PassThrough(); // never read: its buffer only grows
    h.add(fast.s, "");
    h.add(slow, "");
    const payload = { pad: "x".repeat(4000) };
    for (let i = 0; i < 100; i++) h.broadcast("meter", { i, ...payload });
    expect(slow.destroyed).toBe(true);
    expect(slow.writableLength).toBeLessThanOrEqual(64 * 1024);
    expect(h.dropped).toBe(1);
    expect(h.size).toBe(1);
    expect(fast.text().match(/^event: meter$/gm)).toHaveLength(100);
  });

  it("refuses clients beyond maxClients and makes room when one leaves", () => {
    const { h } = hub({ maxClients: 2 });
    const a = reader();
    expect(h.add(a.s, "")).toBe(true);
    expect(h.add(reader().s, "")).toBe(true);
    expect(h.full).toBe(true);
    expect(h.add(reader().s, "")).toBe(false);
    a.s.destroy();
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(h.size).toBe(1);
        resolve();
      }),
    );
  });

  it("ends every stream and stops the heartbeat on stop", () => {
    const { clock, h } = hub();
    const c = reader();
    h.add(c.s, "");
    h.stop();
    expect(c.s.writableEnded).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
