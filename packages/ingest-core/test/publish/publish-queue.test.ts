import { createLogger, ManualClock } from "@smarty/service-kit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import { describe, expect, it } from "vitest";
import { PublishQueue } from "../../src/publish/publish-queue.js";

/** A broker stand-in that acknowledges when told. */
function sink() {
  const pending: { item: number; ack: () => void; nack: (e: Error) => void }[] = [];
  const sent: number[] = [];
  const state = { open: true };
  const send = (item: number) =>
    new Promise<void>((ack, nack) => {
      sent.push(item);
      pending.push({ item, ack, nack });
    });
  const ackAll = async () => {
    while (pending.length > 0) {
      for (const p of pending.splice(0)) p.ack();
      await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { pending, sent, state, send, ackAll };
}

function setup(limit: number, window = 4) {
  const s = sink();
  const logs = captureLogs(createLogger, "ingest");
  const clock = new ManualClock();
  const q = new PublishQueue<number>({
    limit,
    window,
    send: s.send,
    isOpen: () => s.state.open,
    clock,
    logger: logs.logger,
  });
  return { s, q, clock, logs };
}

describe("PublishQueue", () => {
  it("sends in order with at most `window` in flight", async () => {
    const { s, q } = setup(100, 3);
    for (let i = 0; i < 10; i++) q.enqueue(i);
    expect(s.sent).toEqual([0, 1, 2]);
    await s.ackAll();
    expect(s.sent).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(q.length).toBe(0);
    expect(q.published).toBe(10);
  });

  it("holds everything while the connection is down and sends it in order on reconnect", async () => {
    const { s, q } = setup(100);
    s.state.open = false;
    for (let i = 0; i < 20; i++) q.enqueue(i);
    expect(s.sent).toEqual([]);
    expect(q.length).toBe(20);
    s.state.open = true;
    q.pump();
    await s.ackAll();
    expect(s.sent).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("drops the oldest waiting item when full, counts and logs it once per burst", async () => {
    const { s, q, logs } = setup(5);
    s.state.open = false;
    for (let i = 0; i < 12; i++) q.enqueue(i);
    expect(q.length).toBe(5);
    expect(q.dropped).toBe(7);
    expect(logs.messages().filter((m) => m.startsWith("publish queue full"))).toHaveLength(1);
    s.state.open = true;
    q.pump();
    await s.ackAll();
    expect(s.sent).toEqual([7, 8, 9, 10, 11]);
  });

  it("counts a rejected publish (ACL) and carries on with the next item", async () => {
    const { s, q } = setup(10, 1);
    q.enqueue(1);
    q.enqueue(2);
    s.pending.shift()?.nack(new Error("Publish error: Not authorized"));
    await new Promise((r) => setImmediate(r));
    await s.ackAll();
    expect(q.failed).toBe(1);
    expect(q.published).toBe(1);
    expect(s.sent).toEqual([1, 2]);
  });

  it("flush waits for the queue to drain, or reports what is left after the timeout", async () => {
    const { s, q, clock } = setup(10);
    q.enqueue(1);
    const drained = q.flush(5000);
    await s.ackAll();
    expect(await drained).toBe(0);
    s.state.open = false;
    q.enqueue(2);
    q.enqueue(3);
    const left = q.flush(5000);
    clock.advance(5000);
    expect(await left).toBe(2);
  });

  it("signals congestion at half the limit and room again at a quarter", async () => {
    const { s, q } = setup(8, 8);
    let room = 0;
    q.on("room", () => room++);
    s.state.open = false;
    for (let i = 0; i < 4; i++) q.enqueue(i);
    expect(q.congested).toBe(true);
    s.state.open = true;
    q.pump();
    await s.ackAll();
    expect(q.congested).toBe(false);
    expect(room).toBe(1);
  });
});
