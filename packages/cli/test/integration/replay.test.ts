import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MeterSimulator } from "@smarty/simulator";
import { type Mosquitto, startMosquitto, tempDir, waitFor } from "@smarty/testkit";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliInProcess } from "../harness.js";

const KEY = "000102030405060708090A0B0C0D0E0F";

describe("smarty replay into a real mosquitto", () => {
  let broker: Mosquitto;
  const dir = tempDir("cli-replay");
  const capture = join(dir.path, "capture.bin");
  const sim = new MeterSimulator({ seed: 5, start: Date.UTC(2026, 4, 1), key: Buffer.from(KEY, "hex") });
  const made = Array.from({ length: 60 }, () => sim.next());
  beforeAll(async () => {
    broker = await startMosquitto({ users: [{ username: "cli", password: "cli-Pw-42" }] });
    writeFileSync(capture, Buffer.concat(made.map((f) => f.frame!)));
  });
  afterAll(async () => {
    await broker?.stop();
    dir.remove();
  });

  it("publishes every reading of the capture, in order, and says how many", async () => {
    const sub = await mqtt.connectAsync(broker.url, { username: "cli", password: "cli-Pw-42", reconnectPeriod: 0 });
    const seen: { frame_counter: number; time: string }[] = [];
    sub.on("message", (_t, p, packet) => {
      if (!packet.retain) seen.push({ ...JSON.parse(p.toString()).frame, time: JSON.parse(p.toString()).time });
    });
    await sub.subscribeAsync("replay/+/reading", { qos: 1 });
    const r = await runCliInProcess(
      ["replay", capture, "--mqtt", broker.url, "--username", "cli", "--base-topic", "replay"],
      { env: { SMARTY_KEY: KEY, MQTT_PASSWORD: "cli-Pw-42" } },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^replayed 60 readings from .* \(0 frames rejected/);
    await waitFor(() => seen.length === 60, 10_000, "60 readings");
    expect(seen.map((s) => s.frame_counter)).toEqual(made.map((f) => f.frameCounter));
    expect(seen.map((s) => Date.parse(s.time))).toEqual(made.map((f) => Math.floor(f.time / 1000) * 1000));
    expect(r.stdout.toString() + r.stderr).not.toContain("cli-Pw-42");
    await sub.endAsync();
  });

  it("leaves no retained status behind: a finished replay is not a reader that went offline", async () => {
    const r = await runCliInProcess(
      ["replay", capture, "--mqtt", broker.url, "--username", "cli", "--base-topic", "gone"],
      { env: { SMARTY_KEY: KEY, MQTT_PASSWORD: "cli-Pw-42" } },
    );
    expect(r.code).toBe(0);
    const sub = await mqtt.connectAsync(broker.url, { username: "cli", password: "cli-Pw-42", reconnectPeriod: 0 });
    const statuses: string[] = [];
    let sync = false;
    sub.on("message", (topic, p, packet) => {
      if (packet.retain && topic.endsWith("/status")) statuses.push(`${topic}=${p.toString()}`);
      if (topic === "gone/sync") sync = true;
    });
    await sub.subscribeAsync(["gone/ingest/+/status", "gone/sync"], { qos: 1 });
    // Retained messages arrive before the answer to a publish made after the subscription.
    await sub.publishAsync("gone/sync", "x", { qos: 1 });
    await waitFor(() => sync, 10_000, "sync message");
    expect(statuses).toEqual([]);
    await sub.endAsync();
  });

  it("exits 2 when no frame authenticates", async () => {
    const r = await runCliInProcess(["replay", capture, "--mqtt", broker.url, "--base-topic", "wrong"], {
      env: { SMARTY_KEY: "0F0E0D0C0B0A09080706050403020100", MQTT_USERNAME: "cli", MQTT_PASSWORD: "cli-Pw-42" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the P1 key is wrong or missing");
  });

  it("exits 66 for a missing file and 64 without a broker URL", async () => {
    expect((await runCliInProcess(["replay", join(dir.path, "nope.bin"), "--mqtt", broker.url])).code).toBe(66);
    expect((await runCliInProcess(["replay", capture])).code).toBe(64);
  });
});
