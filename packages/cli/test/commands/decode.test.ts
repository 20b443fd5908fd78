import { fixturePath, frameFixture, VECTOR_KEY_HEX, vectorMeta } from "@smarty/testkit/fixtures";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../harness.js";

interface VectorJson {
  encryption_key_hex: string;
  header: { system_title_hex: string; frame_counter: number };
}

const LUX = "synthetic_lux_spec_v113_spec_aad";
const METERLOGGER = "synthetic_lux_meterlogger_spec_aad";

describe("smarty decode", () => {
  it("prints the reading of the Lux spec example frame, field by field as the telegram text says", async () => {
    const meta = vectorMeta<VectorJson>(LUX);
    const r = await runCliInProcess([
      "decode",
      "--key",
      meta.encryption_key_hex,
      fixturePath(`vectors/${LUX}.hex`),
      "--hex",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const reading = JSON.parse(r.stdout.toString());
    // Values from the telegram text of lux_spec_v113_example.txt (Luxmetering P1 spec v1.1.3 Appendix A).
    expect(reading.meter_id).toBe("SAG1030790002574");
    expect(reading.time).toBe("2020-07-06T10:41:57+02:00");
    expect(reading.version).toBe("42");
    expect(reading.energy_import_kwh).toBe(25.653);
    expect(reading.energy_export_kwh).toBe(0.04);
    expect(reading.reactive_energy_export_kvarh).toBe(63.781);
    expect(reading.power_limit_kva).toBe(69);
    expect(reading.current_limit_a).toEqual([100, -63]);
    expect(reading.obis["1-0:32.7.0"]).toEqual({ value: 233, unit: "V" });
    expect(reading.frame).toEqual({
      system_title: meta.header.system_title_hex,
      frame_counter: meta.header.frame_counter,
    });
  });

  it("reads raw frame bytes from stdin", async () => {
    const meta = vectorMeta<VectorJson>(METERLOGGER);
    const r = await runCliInProcess(["decode", "--key", meta.encryption_key_hex], { stdin: frameFixture(METERLOGGER) });
    expect(r.code).toBe(0);
    const reading = JSON.parse(r.stdout.toString());
    expect(reading.meter_id).toBe("SAG1030700012701");
    expect(reading.energy_export_kwh).toBe(112743.03);
    expect(reading.mbus[0]).toMatchObject({
      channel: 1,
      device_type: 3,
      equipment_id: "FLO182370120350",
      value: 14239.771,
    });
  });

  it("takes the key from SMARTY_KEY and tolerates a trailing newline after the frame", async () => {
    const stdin = Buffer.concat([frameFixture(LUX), Buffer.from("\n")]);
    const r = await runCliInProcess(["decode"], { stdin, env: { SMARTY_KEY: VECTOR_KEY_HEX } });
    expect(r.code).toBe(0);
  });

  it("exits 2 with 'authentication' and the wrong-key hint when the key is wrong", async () => {
    const r = await runCliInProcess(["decode", "--key", "0".repeat(32)], { stdin: frameFixture(LUX) });
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/authentication/);
    expect(r.stderr).toMatch(/key is wrong or the frame was altered/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 when one ciphertext byte was altered", async () => {
    const frame = frameFixture(LUX);
    frame[100]! ^= 0x01;
    const r = await runCliInProcess(["decode", "--key", VECTOR_KEY_HEX], { stdin: frame });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/authentication/);
  });

  it("exits 3 on a CRC mismatch behind a valid tag (athombv vector: blank line missing, CRC 8B52 ≠ 6DA1)", async () => {
    const name = "athombv_lux_spec_with_aad";
    const meta = vectorMeta<{ encryption_key_hex: string; aad_hex_used_for_tag_check: string }>(name);
    const aadKey = meta.aad_hex_used_for_tag_check.slice(2);
    const r = await runCliInProcess(["decode", "--key", meta.encryption_key_hex, "--aad-key", aadKey, "--hex"], {
      stdin: `${frameFixture(name).toString("hex")}\n`,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/CRC/);
    expect(r.stderr).toMatch(/8B52/);
  });

  it("with --no-verify-tag decrypts a frame whose tag fails, warns, and still checks the CRC", async () => {
    const frame = frameFixture(LUX);
    frame[frame.length - 1]! ^= 0xff;
    const ok = await runCliInProcess(["decode", "--key", VECTOR_KEY_HEX, "--no-verify-tag"], { stdin: frame });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/not verified/);
    expect(JSON.parse(ok.stdout.toString()).energy_import_kwh).toBe(25.653);
    const wrongKey = await runCliInProcess(["decode", "--key", "1".repeat(32), "--no-verify-tag"], { stdin: frame });
    expect([3, 4]).toContain(wrongKey.code);
  });

  it("exits 4 on a malformed frame: the smartmeter2mqtt header without 0x82", async () => {
    const name = "smartmeter2mqtt_doc_nonconformant";
    const meta = vectorMeta<{ encryption_key_hex: string }>(name);
    const r = await runCliInProcess(["decode", "--key", meta.encryption_key_hex], { stdin: frameFixture(name) });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/malformed frame \(byte 10\)/);
  });

  it("exits 4 on a truncated frame, on hex that is not hex, and on a plaintext telegram", async () => {
    const cut = await runCliInProcess(["decode", "--key", VECTOR_KEY_HEX], {
      stdin: frameFixture(LUX).subarray(0, 500),
    });
    expect(cut.code).toBe(4);
    const notHex = await runCliInProcess(["decode", "--key", VECTOR_KEY_HEX, "--hex"], { stdin: "db08zz" });
    expect(notHex.code).toBe(4);
    expect(notHex.stderr).toMatch(/hexadecimal/);
    const plain = await runCliInProcess([
      "decode",
      "--key",
      VECTOR_KEY_HEX,
      fixturePath("vectors/lux_spec_v113_example.txt"),
    ]);
    expect(plain.code).toBe(4);
    expect(plain.stderr).toMatch(/smarty parse/);
  });

  it("exits 64 on bad usage: missing key, a key that is not 32 hex digits, unknown option, two files", async () => {
    for (const argv of [
      ["decode"],
      ["decode", "--key", "abc"],
      ["decode", "--key", `${VECTOR_KEY_HEX}00`],
      ["decode", "--key", VECTOR_KEY_HEX, "--aad-key", "xyz"],
      ["decode", "--key", VECTOR_KEY_HEX, "--bogus"],
      ["decode", "--key", VECTOR_KEY_HEX, "a", "b"],
    ]) {
      const r = await runCliInProcess(argv, { stdin: frameFixture(LUX) });
      expect(r.code, argv.join(" ")).toBe(64);
      expect(r.stderr).toMatch(/^smarty decode: .+; run 'smarty decode --help'\n$/);
    }
  });

  it("exits 66 when FILE does not exist", async () => {
    const r = await runCliInProcess(["decode", "--key", VECTOR_KEY_HEX, "/nonexistent/frame.bin"]);
    expect(r.code).toBe(66);
    expect(r.stderr).toMatch(/no such file/);
  });
});
