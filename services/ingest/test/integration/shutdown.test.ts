/**
 * SIGTERM of the real process must end well inside compose's `stop_grace_period` (30 s) whatever is down, and say
 * what it could not publish. The bound is the documented one: INGEST_SHUTDOWN_TIMEOUT plus the broker goodbye.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { waitFor } from "@smarty/testkit";
import { capture, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { SHUTDOWN_GRACE_MS } from "../../src/shutdown.js";

/** INGEST_SHUTDOWN_TIMEOUT of these tests, the documented bound on top of it, and time for the process to exit. */
const TIMEOUT_MS = 2000;
const BOUND_MS = TIMEOUT_MS + SHUTDOWN_GRACE_MS + 1000;

const MAIN = join(import.meta.dirname, "..", "..", "src", "main.ts");

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN], {
    env: { PATH: process.env.PATH ?? "", INGEST_HTTP_PORT: "0", LOG_LEVEL: "debug", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  child.stdout.on("data", (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const records = () =>
    stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, exited, records, out: () => stdout };
}

/**
 * A frozen broker: it accepts the connection and says CONNACK (MQTT 3.1.1 §3.2), then never answers again, so every
 * QoS 1 publish waits for a PUBACK that never comes while the client still believes it is connected.
 */
async function frozenBroker(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("data", () => socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends SIGTERM and returns the exit code and the milliseconds it took. */
async function terminate(p: ReturnType<typeof run>): Promise<{ code: number | null; ms: number }> {
  const t0 = performance.now();
  p.child.kill("SIGTERM");
  const code = await p.exited;
  return { code, ms: performance.now() - t0 };
}

describe("ingest shutdown", () => {
  it("exits 0 within its bound with the broker and the TCP bridge both down", async () => {
    const p = run({
      MQTT_URL: `mqtt://127.0.0.1:${await closedPort()}`,
      SMARTY_SOURCE: `tcp://127.0.0.1:${await closedPort()}`,
      SMARTY_KEY: KEY_HEX,
      INGEST_SHUTDOWN_TIMEOUT: `${TIMEOUT_MS}ms`,
    });
    await waitFor(() => p.out().includes('"msg":"started"'), 20_000, "ingest started");
    const { code, ms } = await terminate(p);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(BOUND_MS);
    expect(p.out()).toContain('"msg":"stopped"');
  });

  it("with the broker down and readings queued: exits 0 within the bound and says how many were not published", async () => {
    const p = run({
      MQTT_URL: `mqtt://127.0.0.1:${await closedPort()}`,
      SMARTY_SOURCE: "-",
      SMARTY_KEY: KEY_HEX,
      INGEST_SHUTDOWN_TIMEOUT: `${TIMEOUT_MS}ms`,
    });
    p.child.stdin.end(capture(0, 5));
    await waitFor(() => p.out().includes('"msg":"end of input"'), 20_000, "capture read");
    const { code, ms } = await terminate(p);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(BOUND_MS);
    const notPublished = p.records().find((r) => r.msg === "publish queue not empty at stop: readings not published");
    expect(notPublished?.queue_length).toBe(5);
    expect(p.out()).toContain('"msg":"stopped"');
  });

  it("exits 0 within its bound when the broker is connected but frozen", async () => {
    const broker = await frozenBroker();
    try {
      const p = run({
        MQTT_URL: broker.url,
        MQTT_PROTOCOL_VERSION: "4",
        SMARTY_SOURCE: "-",
        SMARTY_KEY: KEY_HEX,
        INGEST_SHUTDOWN_TIMEOUT: `${TIMEOUT_MS}ms`,
      });
      p.child.stdin.end(capture(0, 3));
      await waitFor(() => p.out().includes('"msg":"mqtt connected"'), 20_000, "connected to the frozen broker");
      await waitFor(() => p.out().includes('"msg":"end of input"'), 20_000, "capture read");
      const { code, ms } = await terminate(p);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(BOUND_MS);
      const deadline = p
        .records()
        .find((r) => r.msg === "shutdown deadline reached: exiting without waiting for the rest");
      expect(deadline?.queue_length).toBe(3);
      expect(p.out()).toContain('"msg":"stopped"');
    } finally {
      await broker.close();
    }
  });
});
