import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { encodeTelegram } from "@smarty/p1";
import { MeterSimulator } from "@smarty/simulator";
import { freePort } from "@smarty/testkit";
import { describe, expect, it } from "vitest";
import { runCliInProcess, startCli } from "../harness.js";
import { TestClock } from "../test-clock.js";

const KEY = "000102030405060708090A0B0C0D0E0F";
const WRONG = "0F0E0D0C0B0A09080706050403020100";

function frames(n: number): Buffer {
  const sim = new MeterSimulator({ seed: 3, start: Date.UTC(2026, 4, 1), key: Buffer.from(KEY, "hex") });
  return Buffer.concat(Array.from({ length: n }, () => sim.next().frame!));
}

describe("smarty doctor", () => {
  it("reports good encrypted readings with the meter id, exit 0", async () => {
    const r = await runCliInProcess(["doctor", "--source", "-", "--key", KEY], { stdin: frames(2) });
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(
      /^Good readings: encrypted frames, the key is right\. Meter SAG1030700012701\./,
    );
  });

  it("says the key is wrong (exit 2), without printing it", async () => {
    const r = await runCliInProcess(["doctor", "--source", "-"], { stdin: frames(2), env: { SMARTY_KEY: WRONG } });
    expect(r.code).toBe(2);
    expect(r.stdout.toString()).toContain("the key does not authenticate them");
    expect(r.stdout.toString() + r.stderr).not.toContain(WRONG);
  });

  it("says a key is missing when encrypted frames arrive without one", async () => {
    const r = await runCliInProcess(["doctor", "--source", "-"], { stdin: frames(1) });
    expect(r.code).toBe(2);
    expect(r.stdout.toString()).toContain("no key was given");
  });

  it("recognises a plaintext DSMR meter", async () => {
    const telegram = encodeTelegram({
      header: "ISK5\\2M550T-1012",
      time: Date.UTC(2026, 4, 1),
      values: { p1_version: "50", equipment_id: "4530303034303031", energy_import_tariff1_kwh: 1234.567 },
    });
    const r = await runCliInProcess(["doctor", "--source", "-", "--json"], { stdin: telegram });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({ verdict: "plaintext", ok: true });
  });

  it("blames the cable for bytes without frames (exit 1)", async () => {
    const r = await runCliInProcess(["doctor", "--source", "-", "--key", KEY], { stdin: Buffer.alloc(3000, 0x7e) });
    expect(r.code).toBe(1);
    expect(r.stdout.toString()).toContain("the signal is probably not inverted, or the baud rate is wrong");
  });

  it("says when the source cannot be opened", async () => {
    const port = await freePort();
    const r = await runCliInProcess(["doctor", "--source", `tcp://127.0.0.1:${port}`, "--duration", "300ms"]);
    expect(r.code).toBe(1);
    expect(r.stdout.toString()).toContain(`Could not open tcp://127.0.0.1:${port} (connect ECONNREFUSED`);
  });

  it("refuses a bad source with usage exit 64", async () => {
    const r = await runCliInProcess(["doctor", "--source", "usb0"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("--source must be serial:///dev/");
  });

  it("reads the key from SMARTY_KEY_FILE, as ingest does (a trailing newline is fine)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smarty-doctor-"));
    try {
      const file = join(dir, "p1-key");
      writeFileSync(file, `${KEY}\n`);
      const r = await runCliInProcess(["doctor", "--source", "-"], {
        stdin: frames(2),
        env: { SMARTY_KEY_FILE: file },
      });
      expect(r.code).toBe(0);
      expect(r.stdout.toString()).toMatch(/^Good readings: encrypted frames, the key is right\./);
      const both = await runCliInProcess(["doctor", "--source", "-"], {
        stdin: frames(1),
        env: { SMARTY_KEY: KEY, SMARTY_KEY_FILE: file },
      });
      expect(both.code).toBe(64);
      expect(both.stderr).toContain("set either SMARTY_KEY or SMARTY_KEY_FILE, not both");
      const missing = await runCliInProcess(["doctor", "--source", "-"], {
        stdin: frames(1),
        env: { SMARTY_KEY_FILE: join(dir, "absent") },
      });
      expect(missing.code).toBe(66);
      expect(missing.stderr).toContain(`SMARTY_KEY_FILE: cannot read ${join(dir, "absent")} (ENOENT)`);
      expect(both.stderr + missing.stderr + r.stderr).not.toContain(KEY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows progress on stderr once a second while it listens, and keeps stdout pure JSON", async () => {
    const clock = new TestClock();
    const stdin = new PassThrough();
    const run = startCli(["doctor", "--source", "-", "--key", KEY, "--json"], { stdin, clock });
    await until(() => clock.pending > 1);
    stdin.write(Buffer.alloc(100, 0x7e));
    clock.advance(1000);
    await until(() => run.stderr().includes("1 s"));
    clock.advance(2000);
    await until(() => run.stderr().includes("3 s"));
    expect(run.stderr()).toMatch(/^smarty doctor: listening to stdin for up to 15 s/);
    expect(run.stderr()).toContain("smarty doctor: 1 s: 100 bytes, no frame yet");
    expect(run.stderr()).toContain("smarty doctor: 3 s: 100 bytes, no frame yet");
    expect(run.stdout().length).toBe(0);
    clock.advance(12_000);
    const r = await run.done;
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({ verdict: "garbled" });
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}
