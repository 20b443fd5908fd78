import { existsSync } from "node:fs";
import { MeterSimulator } from "@smarty/simulator";
import { findBinary, waitFor } from "@smarty/testkit";
import { SerialPort } from "serialport";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { PtyOutput } from "../../src/pty-output.js";
import { startCli } from "../harness.js";
import { consecutive, FrameCollector, KEY } from "./frames.js";

const outputs: PtyOutput[] = [];
const ports: SerialPort[] = [];
afterEach(async () => {
  for (const p of ports.splice(0)) if (p.isOpen) await new Promise((r) => p.close(r));
  for (const o of outputs.splice(0)) await o.stop();
});

beforeAll(() => {
  // Fails loudly with the fix when socat is missing; never skipped.
  findBinary("socat");
});

async function openReader(path: string): Promise<{ port: SerialPort; frames: FrameCollector }> {
  const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
  ports.push(port);
  const frames = new FrameCollector();
  port.on("data", (chunk: Buffer) => frames.push(chunk));
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return { port, frames };
}

function pidAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Writes a frame every 20 ms until `until` holds. */
async function feed(out: PtyOutput, sim: MeterSimulator, until: () => boolean, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!until()) {
    if (Date.now() > deadline) throw new Error("timed out feeding the pty");
    await out.write(sim.next().frame!);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("PtyOutput", () => {
  it("serves frames on a socat pty that serialport reads, survives the reader reopening, and cleans up", async () => {
    const out = new PtyOutput();
    outputs.push(out);
    await out.start();
    expect(out.devicePath).toMatch(/^\/dev\/pts\/\d+$/);
    expect(existsSync(out.path)).toBe(true);
    const sim = new MeterSimulator({ seed: 4, start: Date.UTC(2026, 10, 5), key: KEY });

    const first = await openReader(out.path);
    await feed(out, sim, () => first.frames.readings.length >= 5);
    expect(consecutive(first.frames.counters)).toBe(true);

    // Unplug and plug back in: socat keeps running and the new reader gets the frames that follow.
    await new Promise((r) => first.port.close(r));
    await feed(out, sim, () => true);
    const second = await openReader(out.path);
    await feed(out, sim, () => second.frames.readings.length >= 5);
    expect(consecutive(second.frames.counters.slice(-4))).toBe(true);
    expect(second.frames.counters.at(-1)!).toBeGreaterThan(first.frames.counters.at(-1)!);

    const pid = out.pid;
    expect(pidAlive(pid)).toBe(true);
    await new Promise((r) => second.port.close(r));
    await out.stop();
    expect(pidAlive(pid)).toBe(false);
    expect(existsSync(out.path)).toBe(false);
  });

  it("drops frames when nobody reads instead of queueing them without bound", async () => {
    const out = new PtyOutput({ maxBacklogBytes: 8 * 1024 });
    outputs.push(out);
    await out.start();
    const sim = new MeterSimulator({ seed: 4, start: Date.UTC(2026, 10, 5), key: KEY });
    for (let i = 0; i < 2000 && out.dropped === 0; i++) {
      await out.write(sim.next().frame!);
      if (i % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(out.dropped).toBeGreaterThan(0);
  });

  it("reports a missing socat as a clear error", async () => {
    const out = new PtyOutput({ socat: "/nonexistent/socat" });
    await expect(out.start()).rejects.toThrow(/cannot start socat: .*install socat/);
  });
});

describe("smarty simulate --out pty", () => {
  it("prints the device path on stderr and serves telegrams that serialport reads", async () => {
    const run = startCli(["simulate", "--plain", "--out", "pty", "--interval", "30ms"]);
    const path = await waitFor(() => /pty device (\S+)/.exec(run.stderr())?.[1], 5000, "the pty line");
    const reader = new SerialPort({ path, baudRate: 115_200 });
    ports.push(reader);
    let text = "";
    reader.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
    });
    await waitFor(() => (text.match(/!([0-9A-F]{4})\r\n/g) ?? []).length >= 3, 8000, "three telegrams");
    expect(text).toMatch(/\/Lux5\\253663629_D\r\n\r\n1-3:0\.2\.8\(42\)/);
    run.abort();
    const result = await run.done;
    expect(result.code).toBe(0);
    expect(existsSync(path)).toBe(false);
  });
});
