import { connect, type Socket } from "node:net";
import { MeterSimulator } from "@smarty/simulator";
import { waitFor } from "@smarty/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { TcpServerOutput } from "../../src/tcp-server-output.js";
import { startCli } from "../harness.js";
import { consecutive, FrameCollector, KEY, KEY_HEX } from "./frames.js";

const sockets: Socket[] = [];
const servers: TcpServerOutput[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.stop();
});

function client(port: number): { socket: Socket; frames: FrameCollector; closed: Promise<void> } {
  const socket = connect(port, "127.0.0.1");
  sockets.push(socket);
  const frames = new FrameCollector();
  socket.on("data", (chunk: Buffer) => frames.push(chunk));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { socket, frames, closed };
}

describe("TcpServerOutput", () => {
  it("sends every frame to every connected client, like a ser2net bridge", async () => {
    const server = new TcpServerOutput({ port: 0 });
    servers.push(server);
    await server.start();
    expect(server.url).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const a = client(server.port);
    const b = client(server.port);
    await waitFor(() => server.clientCount === 2, 5000, "two clients");
    const sim = new MeterSimulator({ seed: 11, start: Date.UTC(2026, 4, 2), key: KEY });
    const sent = [];
    for (let i = 0; i < 25; i++) {
      const f = sim.next();
      sent.push(f.frameCounter);
      await server.write(f.frame!);
    }
    await waitFor(() => a.frames.readings.length === 25 && b.frames.readings.length === 25, 5000, "25 frames each");
    expect(a.frames.counters).toEqual(sent);
    expect(b.frames.counters).toEqual(sent);
    expect(a.frames.skipped).toEqual([]);
    // A client that leaves is forgotten; stopping the server closes the others.
    a.socket.destroy();
    await waitFor(() => server.clientCount === 1, 5000, "one client left");
    await server.stop();
    await b.closed;
  });

  it("drops a client that stops reading instead of queueing for it, and keeps serving the others", async () => {
    const server = new TcpServerOutput({ port: 0, maxQueuedBytes: 64 * 1024 });
    servers.push(server);
    await server.start();
    const stalled = client(server.port);
    const reader = client(server.port);
    await waitFor(() => server.clientCount === 2, 5000, "two clients");
    stalled.socket.pause();
    const chunk = Buffer.alloc(4096, 0x41);
    // Enough to fill the loopback socket buffers of the stalled client many times over.
    for (let i = 0; i < 20_000 && server.droppedClients === 0; i++) {
      await server.write(chunk);
      if (i % 256 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(server.droppedClients).toBe(1);
    // The stalled client sees the end of the stream once it reads again.
    stalled.socket.resume();
    await stalled.closed;
    expect(server.clientCount).toBe(1);
    expect(reader.socket.destroyed).toBe(false);
  });
});

describe("smarty simulate --out tcp://", () => {
  it("serves encrypted frames to a TCP client until --count, then closes", async () => {
    const run = startCli([
      "simulate",
      "--key",
      KEY_HEX,
      "--out",
      "tcp://127.0.0.1:0",
      "--interval",
      "40ms",
      "--count",
      "30",
    ]);
    const port = await waitFor(
      () => /serving frames on tcp:\/\/127\.0\.0\.1:(\d+)/.exec(run.stderr())?.[1],
      5000,
      "the serving line",
    );
    const c = client(Number(port));
    const result = await run.done;
    await c.closed;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/wrote 30 frames to tcp:\/\/127\.0\.0\.1:\d+/);
    // Frames sent before the client connected are gone, as with a real bridge; the rest arrive whole, in order.
    expect(c.frames.readings.length).toBeGreaterThan(5);
    expect(c.frames.skipped).toEqual([]);
    expect(consecutive(c.frames.counters)).toBe(true);
    expect(c.frames.readings.every((r) => r.meter_id === "SAG1030700012701")).toBe(true);
  });
});
