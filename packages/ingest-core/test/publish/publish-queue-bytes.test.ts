import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { PublishQueue } from "../../src/publish/publish-queue.js";

interface Item {
  readonly n: number;
  readonly text: string;
}

function setup(options: { limit: number; byteLimit: number }) {
  let open = false;
  const q = new PublishQueue<Item>({
    ...options,
    size: (item) => item.text.length,
    send: () => Promise.resolve(),
    isOpen: () => open,
    clock: new ManualClock(),
    logger: silentLogger(),
  });
  return { q, open: () => (open = true) };
}

const item = (n: number, bytes = 100): Item => ({ n, text: "x".repeat(bytes) });

describe("PublishQueue: byte bound", () => {
  it("drops the oldest to stay within the byte limit, keeps the newest, and counts the drops", () => {
    const { q } = setup({ limit: 1000, byteLimit: 1000 });
    for (let i = 0; i < 25; i++) q.enqueue(item(i));
    expect(q.length).toBe(10);
    expect(q.bytes).toBe(1000);
    expect(q.dropped).toBe(15);
    expect(q.peekNewest()?.n).toBe(24);
    expect(q.peekOldest()?.n).toBe(15);
  });

  it("refuses an item larger than the whole byte limit without dropping what is queued", () => {
    const { q } = setup({ limit: 1000, byteLimit: 1000 });
    q.enqueue(item(0));
    q.enqueue(item(1, 1001));
    expect(q.length).toBe(1);
    expect(q.dropped).toBe(1);
    expect(q.peekNewest()?.n).toBe(0);
  });

  it("releases a dropped item at once: nothing keeps it reachable", async () => {
    const { q } = setup({ limit: 3, byteLimit: 1_000_000 });
    const registry = new FinalizationRegistry<number>((n) => collected.add(n));
    const collected = new Set<number>();
    // A full GC on demand, without a special flag for the whole test run.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // Items are made inside a function so no local of this test holds them.
    const fill = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const it = item(i);
        registry.register(it, i);
        q.enqueue(it);
      }
    };
    fill(0, 10);
    expect(q.dropped).toBe(7);
    for (let round = 0; round < 10 && collected.size < 7; round++) {
      gc();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect([...collected].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("accounts the bytes of what was sent", async () => {
    const { q, open } = setup({ limit: 1000, byteLimit: 1000 });
    for (let i = 0; i < 5; i++) q.enqueue(item(i));
    open();
    q.pump();
    await q.flush(1000);
    expect(q.length).toBe(0);
    expect(q.bytes).toBe(0);
  });
});
