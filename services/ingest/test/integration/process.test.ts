import { spawn } from "node:child_process";
import { join } from "node:path";
import { topics } from "@smarty/contracts";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import { capture, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribe } from "../helpers/harness.js";

const MAIN = join(import.meta.dirname, "..", "..", "src", "main.ts");

/** The service as a process, from its TypeScript source (tsx), as `npm start` would run its build. */
function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe("ingest process", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto({ users: [{ username: "ingest", password: "proc-Secret-91" }] });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it("refuses a bad configuration with exit 78, naming every bad variable and never the key", async () => {
    const p = run({ SMARTY_SOURCE: "usb0", SMARTY_KEY: "notakey-but-secret", SMARTY_HA_DISCOVERY: "perhaps" });
    expect(await p.exited).toBe(78);
    expect(p.err()).toContain("Refusing to start: invalid configuration");
    for (const name of ["SMARTY_SOURCE", "SMARTY_KEY", "SMARTY_HA_DISCOVERY"]) expect(p.err()).toContain(`${name}:`);
    expect(p.err() + p.out()).not.toContain("notakey-but-secret");
  });

  it("reads stdin, publishes, and on SIGTERM flushes its queue, says offline and exits 0", async () => {
    const sub = await subscribe(broker.url, ["smarty/#"], { username: "ingest", password: "proc-Secret-91" });
    const p = run({
      MQTT_URL: broker.url,
      MQTT_USERNAME: "ingest",
      MQTT_PASSWORD: "proc-Secret-91",
      SMARTY_SOURCE: "-",
      SMARTY_KEY: KEY_HEX,
      INGEST_HTTP_PORT: "0",
      LOG_LEVEL: "debug",
    });
    p.child.stdin.write(capture(0, 5));
    await waitFor(() => sub.live("/reading").length === 5, 20_000, "readings from the process");
    const status = topics.status("smarty", "ingest", "main");
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    await waitFor(() => sub.last(status) === "offline", 5000, "offline");
    const logs = p.out();
    expect(logs).toContain('"msg":"publish queue flushed"');
    expect(logs).toContain('"msg":"stopped"');
    expect(logs.toLowerCase()).not.toContain(KEY_HEX.toLowerCase());
    expect(logs).not.toContain("proc-Secret-91");
    await sub.end();
  });
});
