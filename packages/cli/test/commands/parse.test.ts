import { fixturePath, frameFixture, telegramFixture } from "@smarty/testkit/fixtures";
import { describe, expect, it } from "vitest";
import { runCliInProcess } from "../harness.js";

describe("smarty parse", () => {
  it("prints the reading of the real 2026 Lux telegram, field by field as the text says", async () => {
    const r = await runCliInProcess(["parse", fixturePath("vectors/meterlogger_lux_2026.txt")]);
    expect(r.code).toBe(0);
    const reading = JSON.parse(r.stdout.toString());
    expect(reading.meter_id).toBe("SAG1030700012701");
    expect(reading.time).toBe("2026-04-03T17:54:31+02:00");
    expect(reading.crc).toBe("80F6");
    expect(reading.energy_import_kwh).toBe(273.764);
    expect(reading.energy_export_kwh).toBe(112743.03);
    expect(reading.power_export_kw).toBe(0.897);
    expect(reading.reactive_power_export_kvar).toBe(0.154);
    expect(reading.apparent_power_export_kva).toBe(0.913);
    expect(reading.power_limit_kva).toBe(27.6);
    expect(reading.power_failures).toBe(1067);
    expect(reading.mbus).toEqual([
      {
        channel: 1,
        device_type: 3,
        medium: "gas",
        equipment_id: "FLO182370120350",
        value: 14239.771,
        unit: "m3",
        time: "2026-04-03T17:45:42+02:00",
        valve_state: 1,
        breaker_state: 0, // 0-1:96.3.10(0)
      },
    ]);
  });

  it("reads stdin, skipping blank lines before the telegram", async () => {
    const stdin = Buffer.concat([Buffer.from("\r\n\n"), telegramFixture("lux_spec_v113_example")]);
    const r = await runCliInProcess(["parse"], { stdin });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.toString()).meter_id).toBe("SAG1030790002574");
  });

  it("exits 3 with 'CRC' when one digit of the telegram changed", async () => {
    const text = telegramFixture("lux_spec_v113_example").toString("latin1").replace("000025.653", "000025.654");
    const r = await runCliInProcess(["parse"], { stdin: Buffer.from(text, "latin1") });
    expect(r.code).toBe(3);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/^smarty parse: CRC mismatch: telegram says 8B52, content gives [0-9A-F]{4}, .+\n$/);
  });

  it("exits 4 on something that is not a telegram, and on an encrypted frame", async () => {
    const junk = await runCliInProcess(["parse"], { stdin: "hello world\n" });
    expect(junk.code).toBe(4);
    expect(junk.stderr).toMatch(/malformed telegram/);
    const frame = await runCliInProcess(["parse"], { stdin: frameFixture("synthetic_lux_spec_v113_spec_aad") });
    expect(frame.code).toBe(4);
    expect(frame.stderr).toMatch(/smarty decode/);
    const empty = await runCliInProcess(["parse"], { stdin: "" });
    expect(empty.code).toBe(4);
  });

  it("exits 64 on an unknown option and 66 on a missing file", async () => {
    expect((await runCliInProcess(["parse", "--key", "x"])).code).toBe(64);
    expect((await runCliInProcess(["parse", "/nonexistent/telegram.txt"])).code).toBe(66);
  });
});
