import { createServer, type Server, type Socket } from "node:net";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { freePort, waitFor } from "@smarty/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { TcpSource } from "../../src/sources/tcp-source.js";

/** A local TCP bridge stand-in: accepts connections and lets the test write or hang up. */
async function bridge(port: number) {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => {
    sockets.push(s);
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    sockets,
    write: (b: string) => sockets.at(-1)?.write(b),
    hangUp: () => {
      for (const s of sockets.splice(0)) s.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets.splice(0)) s.destroy();
        server.close(() => r());
      }),
  };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function source(port: number, clock: ManualClock) {
  const src = new TcpSource({
    host: "127.0.0.1",
    port,
    clock,
    logger: silentLogger(),
    reconnectMinMs: 1000,
    reconnectMaxMs: 8000,
    idleTimeoutMs: 60_000,
  });
  const events: string[] = [];
  const data: string[] = [];
  src.on("open", () => events.push("open"));
  src.on("lost", (r) => events.push(`lost:${r}`));
  src.on("data", (b) => data.push(b.toString()));
  cleanups.push(() => src.stop());
  return { src, events, data };
}

describe("TcpSource", () => {
  it("reads bytes and reconnects after the bridge hangs up, once the back-off has passed", async () => {
    const port = await freePort();
    const b = await bridge(port);
    cleanups.push(b.close);
    const clock = new ManualClock();
    const { src, events, data } = source(port, clock);
    src.start();
    await waitFor(() => b.sockets.length === 1, 5000, "connection");
    await waitFor(() => src.isOpen, 5000, "open");
    b.write("hello");
    await waitFor(() => data.join("") === "hello", 5000, "data");
    b.hangUp();
    await waitFor(() => events.includes("lost:connection closed"), 5000, "lost");
    clock.advance(999);
    expect(src.isOpen).toBe(false);
    clock.advance(1);
    await waitFor(() => src.isOpen, 5000, "reopen");
    expect(src.reconnects).toBe(1);
    expect(events.filter((e) => e === "open")).toHaveLength(2);
  });

  it("keeps retrying with growing back-off while nothing listens, then connects", async () => {
    const port = await freePort();
    const clock = new ManualClock();
    const { src } = source(port, clock);
    src.start();
    // Refused attempts, each followed by a wait of 1 s, 2 s, 4 s, 8 s.
    for (const delay of [1000, 2000, 4000, 8000]) {
      await waitFor(() => src.retrying, 5000, "retry scheduled");
      clock.advance(delay - 1);
      expect(src.retrying).toBe(true);
      clock.advance(1);
      expect(src.retrying).toBe(false);
    }
    await waitFor(() => src.retrying, 5000, "retry scheduled");
    expect(src.isOpen).toBe(false);
    const b = await bridge(port);
    cleanups.push(b.close);
    clock.advance(8000);
    await waitFor(() => src.isOpen, 5000, "connected");
  });

  it("treats a connection without bytes for 60 s as dead and reopens it", async () => {
    const port = await freePort();
    const b = await bridge(port);
    cleanups.push(b.close);
    const clock = new ManualClock();
    const { src, events, data } = source(port, clock);
    src.start();
    await waitFor(() => src.isOpen, 5000, "open");
    await waitFor(() => b.sockets.length === 1, 5000, "accepted");
    clock.advance(30_000);
    b.write("x");
    await waitFor(() => data.length === 1, 5000, "byte received");
    clock.advance(30_000);
    expect(src.isOpen).toBe(true);
    clock.advance(30_000);
    expect(events.some((e) => e.startsWith("lost:no data for 60 s"))).toBe(true);
    clock.advance(1000);
    await waitFor(() => src.isOpen, 5000, "reopened");
  });
});
