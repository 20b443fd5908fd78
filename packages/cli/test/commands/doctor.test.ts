import { encodeTelegram } from "@smarty/p1";
import { MeterSimulator } from "@smarty/simulator";
import { freePort } from "@smarty/testkit";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../harness.js";

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
});
