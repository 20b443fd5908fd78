import { spawn } from "node:child_process";
import { join } from "node:path";
import { MeterSimulator } from "@smarty/simulator";
import { freePort, type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildIngest, connected, subscribe } from "../helpers/harness.js";

const KEY_HEX = "000102030405060708090A0B0C0D0E0F";
const CLI = join(import.meta.dirname, "..", "..", "..", "..", "packages", "cli", "src", "main.ts");
const START = "2026-05-01T10:00:00Z";
const SEED = "21";

describe("smarty simulate --out tcp → ingest → mosquitto", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("publishes exactly the readings the simulator produced, consecutive and in order", async () => {
    const port = await freePort();
    const sim = spawn(
      process.execPath,
      [
        ...["--conditions=source", "--import", "tsx", CLI, "simulate", "--out", `tcp://127.0.0.1:${port}`],
        ...["--key", KEY_HEX, "--seed", SEED, "--start", START, "--interval", "10s", "--speed", "50"],
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let simErr = "";
    sim.stderr.on("data", (b: Buffer) => {
      simErr += b.toString();
    });
    try {
      await waitFor(() => simErr.includes("serving frames on"), 20_000, "simulator listening");
      const sub = await subscribe(broker.url, ["smarty/+/reading"]);
      const h = buildIngest({ MQTT_URL: broker.url, SMARTY_SOURCE: `tcp://127.0.0.1:${port}`, SMARTY_KEY: KEY_HEX });
      await h.ingest.start();
      await connected(h);
      await waitFor(() => sub.live("/reading").length >= 8, 20_000, "eight readings");
      await h.ingest.stop();
      await sub.end();

      // The same seed and start give the same frames (the simulator is pure); compare by frame counter.
      const model = new MeterSimulator({
        seed: Number(SEED),
        start: Date.parse(START),
        key: Buffer.from(KEY_HEX, "hex"),
      });
      const byCounter = new Map<number, ReturnType<MeterSimulator["next"]>>();
      for (let i = 0; i < 400; i++) {
        const f = model.next();
        byCounter.set(f.frameCounter, f);
      }
      const got = sub.live("/reading");
      const counters = got.map((r) => (r.frame as { frame_counter: number }).frame_counter);
      expect(counters).toEqual(counters.map((_, i) => counters[0]! + i));
      for (const r of got) {
        const f = byCounter.get((r.frame as { frame_counter: number }).frame_counter);
        expect(f, "frame counter from the simulator's run").toBeDefined();
        expect(Date.parse(String(r.time))).toBe(Math.floor(f!.time / 1000) * 1000);
        for (const key of [
          "energy_import_kwh",
          "energy_export_kwh",
          "power_import_kw",
          "voltage_l1_v",
          "current_l1_a",
        ] as const) {
          expect(r[key], key).toBe(f!.spec.values[key]);
        }
      }
      expect(h.ingest.monitor.counters.authentication_failures + h.ingest.monitor.counters.crc_failures).toBe(0);
    } finally {
      const exited = new Promise((r) => sim.once("exit", r));
      if (sim.exitCode === null) sim.kill("SIGTERM");
      await exited;
    }
  });
});
