/**
 * The shared plaintext vectors, asserted field by field. Every expected value is read from the telegram text
 * (quoted next to the assertion) or from the vector's JSON metadata, never from our own output.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CrcError, crc16, formatCrc, parseTelegram, type Reading } from "../src/index.js";
import { FIXTURES_DIR, PLAINTEXT_VECTORS, type PlaintextMeta, vectorBytes, vectorMeta } from "./helpers/vectors.js";

const parse = (name: string): Reading => parseTelegram(vectorBytes(`${name}.txt`));

describe("every plaintext vector", () => {
  it.each(PLAINTEXT_VECTORS)("%s: the CRC the JSON gives is found, checked and kept", (name) => {
    const meta = vectorMeta<PlaintextMeta>(name);
    const bytes = vectorBytes(meta.file);
    expect(bytes.length).toBe(meta.bytes);
    expect(meta.crc_valid).toBe(true);
    expect(formatCrc(crc16(bytes, 0, bytes.lastIndexOf(0x21) + 1))).toBe(meta.crc_computed);
    const reading = parseTelegram(bytes);
    expect(reading.crc).toBe(meta.crc_in_telegram);
    expect(reading.unparsed).toEqual([]);
  });

  it.each(PLAINTEXT_VECTORS)("%s: one flipped bit in the body is a CrcError", (name) => {
    const bytes = Buffer.from(vectorBytes(`${name}.txt`));
    bytes[40] = bytes[40]! ^ 0x01;
    expect(() => parseTelegram(bytes)).toThrow(CrcError);
  });
});

describe("Luxmetering spec v1.1.3 Appendix A example", () => {
  const meta = vectorMeta<{ expected_fields: Record<string, unknown> }>("lux_spec_v113_example");
  const f = meta.expected_fields;
  const r = parse("lux_spec_v113_example");

  it("decodes the hex meter id and the header", () => {
    expect(r.meter_id).toBe(f["0-0:42.0.0_decoded"]);
    expect(r.meter_id).toBe("SAG1030790002574");
    expect(r.logical_device_name).toBe("SAG1030790002574");
    expect(`/${r.header}`).toBe(f.header);
    expect(r.version).toBe(f.p1_version);
    expect(r.p1_version).toBe("42");
  });

  it("gives the time 200706104157S as ISO 8601 with the summer offset", () => {
    expect(f.timestamp).toBe("200706104157S");
    expect(r.time).toBe("2020-07-06T10:41:57+02:00");
    expect(r.timestamp).toBe(r.time);
    expect(r.obis["0-0:1.0.0"]).toEqual({ value: "2020-07-06T10:41:57+02:00" });
  });

  it("names the registers and powers in the registry units", () => {
    expect(r.energy_import_kwh).toBe(f["1-0:1.8.0_kWh"]);
    expect(r.energy_export_kwh).toBe(f["1-0:2.8.0_kWh"]);
    expect(r.reactive_energy_import_kvarh).toBe(f["1-0:3.8.0_kvarh"]);
    expect(r.reactive_energy_export_kvarh).toBe(f["1-0:4.8.0_kvarh"]);
    expect(r.power_import_kw).toBe(f["1-0:1.7.0_kW"]);
    expect(r.power_export_kw).toBe(0); // 1-0:2.7.0(00.000*kW)
    expect(r.reactive_power_import_kvar).toBe(0); // 1-0:3.7.0(00.000*kvar)
    expect(r.reactive_power_export_kvar).toBe(0); // 1-0:4.7.0(00.000*kvar)
    expect(r.power_limit_kva).toBe(f["0-0:17.0.0_kVA"]);
    expect(r.apparent_power_import_kva).toBe(f["1-0:9.7.0_kVA"]);
    expect(r.apparent_power_export_kva).toBe(0); // 1-0:10.7.0(00.000*kVA)
    expect(r.obis["1-0:1.8.0"]).toEqual({ value: 25.653, unit: "kWh" }); // 1-0:1.8.0(000025.653*kWh)
    expect(r.obis["0-0:17.0.0"]).toEqual({ value: 69, unit: "kVA" }); // 0-0:17.0.0(069.0*kVA)
  });

  it("keeps both values of the current limit line 1-1:31.4.0(100*A)(-063*A)", () => {
    expect(r.current_limit_a).toEqual(f["1-1:31.4.0_A"]);
    expect(r.current_limit_a).toEqual([100, -63]);
    expect(r.obis["1-1:31.4.0"]).toEqual({
      value: 100,
      unit: "A",
      values: [
        { value: 100, unit: "A" },
        { value: -63, unit: "A" },
      ],
    });
  });

  it("reads the counters, states, voltages, currents and per-phase powers", () => {
    expect(r.power_failures).toBe(f["0-0:96.7.21"]);
    expect(r.breaker_state).toBe(1); // 0-0:96.3.10(1)
    expect([r.voltage_sags_l1, r.voltage_sags_l2, r.voltage_sags_l3]).toEqual([40, 3, 2]); // 00040, 00003, 00002
    expect([r.voltage_swells_l1, r.voltage_swells_l2, r.voltage_swells_l3]).toEqual([0, 0, 0]);
    expect([r.voltage_l1_v, r.voltage_l2_v, r.voltage_l3_v]).toEqual(f.voltage_V);
    expect([r.current_l1_a, r.current_l2_a, r.current_l3_a]).toEqual([0, 0, 0]); // 000*A
    expect([r.power_import_l1_kw, r.power_import_l2_kw, r.power_import_l3_kw]).toEqual([0.005, 0, 0]);
    expect([r.power_export_l1_kw, r.reactive_power_import_l1_kvar, r.reactive_power_export_l3_kvar]).toEqual([0, 0, 0]);
  });

  it("keeps the empty long messages as empty text", () => {
    for (const key of [
      "long_message",
      "long_message_2",
      "long_message_3",
      "long_message_4",
      "long_message_5",
    ] as const) {
      expect(r[key]).toBe("");
    }
    expect(r.obis["0-0:96.13.0"]).toEqual({ value: "" });
  });

  it("classifies the M-Bus channels: 1 and 4 are gas readings, 2 and 3 are unconfigured water", () => {
    const mbus = f.mbus as Record<string, { type: number; id_decoded?: string; ts: string; value_m3?: number }>;
    expect(r.mbus.map((m) => m.channel)).toEqual([1, 4]);
    const [ch1, ch4] = r.mbus;
    expect(ch1).toEqual({
      channel: 1,
      device_type: mbus["1"]!.type,
      medium: "gas",
      equipment_id: mbus["1"]!.id_decoded,
      value: mbus["1"]!.value_m3,
      unit: "m3",
      time: "2020-07-06T10:31:40+02:00", // 200706103140S
      valve_state: 0, // 0-1:24.4.0(0)
      breaker_state: 0, // 0-1:96.3.10(0)
    });
    expect(ch4).toEqual({
      channel: 4,
      device_type: mbus["4"]!.type,
      medium: "gas",
      equipment_id: "ELS353589980300",
      value: 28.103,
      unit: "m3",
      time: "2020-07-06T10:29:00+02:00", // 200706102900S
      valve_state: 1,
    });
    expect(mbus["2"]!.ts).toBe("632525252525S");
    // The unconfigured channels stay in obis, without a capture time and without a unit.
    expect(r.obis["0-2:24.1.0"]).toEqual({ value: 7 });
    expect(r.obis["0-2:24.2.1"]).toEqual({ value: 0 });
    expect(r.obis["0-3:24.2.1"]).toEqual({ value: 0 });
    expect(r.obis["0-1:24.2.1"]).toEqual({ value: 0.006, unit: "m3", time: "2020-07-06T10:31:40+02:00" });
  });

  it("knows every code of the spec telegram", () => {
    expect(r.unknown_codes).toEqual([]);
    const codes = readFileSync(join(FIXTURES_DIR, "vectors", "lux_spec_v113_example.txt"), "latin1")
      .split("\r\n")
      .filter((l) => /^\d/.test(l))
      .map((l) => l.slice(0, l.indexOf("(")));
    expect(Object.keys(r.obis)).toEqual(codes);
  });
});

describe("meterlogger real Lux telegram (2026)", () => {
  const f = vectorMeta<{ expected_fields: Record<string, unknown> }>("meterlogger_lux_2026").expected_fields;
  const r = parse("meterlogger_lux_2026");

  it("reads what the vector's source asserts", () => {
    expect(r.meter_id).toBe(f["0-0:42.0.0_decoded"]);
    expect(r.energy_import_kwh).toBe(f["1-0:1.8.0_kWh"]);
    expect(r.energy_export_kwh).toBe(f["1-0:2.8.0_kWh"]);
    expect(r.reactive_energy_import_kvarh).toBe(f["1-0:3.8.0_kvarh"]);
    expect(r.reactive_energy_export_kvarh).toBe(f["1-0:4.8.0_kvarh"]);
    expect(r.power_export_kw).toBe(f["1-0:2.7.0_kW"]);
    expect(r.reactive_power_export_kvar).toBe(f["1-0:4.7.0_kvar"]);
    expect(r.power_limit_kva).toBe(f["0-0:17.0.0_kVA"]);
    expect(r.apparent_power_export_kva).toBe(f["1-0:10.7.0_kVA"]);
    expect(r.current_limit_a).toEqual(f["1-1:31.4.0_A"]);
    expect(r.power_failures).toBe(f["0-0:96.7.21"]);
  });

  it("reads time, voltages and per-phase export from the telegram text", () => {
    expect(r.time).toBe("2026-04-03T17:54:31+02:00"); // 260403175431S
    expect([r.voltage_l1_v, r.voltage_l2_v, r.voltage_l3_v]).toEqual([231, 229, 230]);
    expect([r.power_export_l1_kw, r.power_export_l2_kw, r.power_export_l3_kw]).toEqual([0.319, 0.3, 0.277]);
    expect([r.reactive_power_export_l1_kvar, r.reactive_power_export_l2_kvar]).toEqual([0.046, 0.065]);
  });

  it("has gas on channel 1", () => {
    const gas = f.gas_ch1 as { type: number; id_decoded: string; value_m3: number; valve: number };
    expect(r.mbus).toEqual([
      {
        channel: 1,
        device_type: gas.type,
        medium: "gas",
        equipment_id: gas.id_decoded,
        value: gas.value_m3,
        unit: "m3",
        time: "2026-04-03T17:45:42+02:00", // 260403174542S
        valve_state: gas.valve,
        breaker_state: 0, // 0-1:96.3.10(0)
      },
    ]);
  });
});

describe("dsmr-reader Lux test telegram (2019, winter time)", () => {
  const f = vectorMeta<{ expected_fields: Record<string, unknown> }>("dsmrreader_lux_test_2019").expected_fields;
  const r = parse("dsmrreader_lux_test_2019");

  it("gives 191031142239W as 13:22:39 UTC", () => {
    expect(r.time).toBe("2019-10-31T14:22:39+01:00");
    expect(new Date(r.time ?? "").toISOString().replace(".000", "")).toBe(f.timestamp_utc);
  });

  it("reads the values dsmr-reader's test expects", () => {
    expect(r.energy_import_kwh).toBe(f["1-0:1.8.0_kWh"]);
    expect(r.energy_export_kwh).toBe(f["1-0:2.8.0_kWh"]);
    expect(r.power_import_kw).toBe(f["1-0:1.7.0_kW"]);
    expect(r.power_limit_kva).toBe(f["0-0:17.0.0_kVA"]);
    expect(r.version).toBe("42");
  });

  it("keeps an id that is not printable text as its hex digits", () => {
    // 0-0:42.0.0(12345678901234567890123456789012): bytes 0x12 0x34 … are control characters.
    expect(r.meter_id).toBe("12345678901234567890123456789012");
    expect(r.mbus).toEqual([]);
  });
});

describe("openHAB Smarty telegram with units", () => {
  const f = vectorMeta<{ expected_fields: Record<string, unknown> }>("openhab_smarty_with_units").expected_fields;
  const r = parse("openhab_smarty_with_units");

  it("reads the edited values and gas on channel 1", () => {
    expect(r.energy_import_kwh).toBe(f["1-0:1.8.0_kWh"]);
    expect(r.power_limit_kva).toBe(f["0-0:17.0.0_kVA"]);
    expect(r.time).toBe("2018-01-30T10:21:22+01:00"); // 180130102122W
    expect(r.meter_id).toBe("SAG1030700114004");
    expect(r.mbus).toHaveLength(1);
    expect(r.mbus[0]).toMatchObject({ channel: 1, medium: "gas", value: f.gas_ch1_m3, unit: "m3" });
    expect(f.gas_ts).toBe("200606201530S");
    expect(r.mbus[0]?.time).toBe("2020-06-06T20:15:30+02:00");
    // 0-1:96.1.0(1234567890ABCDEF1234567890ABCD) is not printable once decoded: kept as sent.
    expect(r.mbus[0]?.equipment_id).toBe("1234567890ABCDEF1234567890ABCD");
  });
});

describe("dsmr_parser DSMR 5 telegram with two M-Bus channels", () => {
  const r = parse("dsmrparser_v5_two_mbus");

  it("decodes the DSMR equipment id and reads the tariff registers", () => {
    expect(r.meter_id).toBe("E0044007382246019"); // 0-0:96.1.1(4530303434303037333832323436303139)
    expect(r.version).toBe("50");
    expect(r.time).toBe("2020-04-26T22:33:25+02:00"); // 200426223325S
    expect(r.energy_import_tariff1_kwh).toBe(2130.115);
    expect(r.energy_import_tariff2_kwh).toBe(245.467);
    expect(r.energy_export_tariff1_kwh).toBe(0);
    expect(r.energy_export_tariff2_kwh).toBe(0);
    expect(r.tariff_indicator).toBe(1); // 0-0:96.14.0(0001)
    expect(r.energy_import_kwh).toBeUndefined(); // no 1-0:1.8.0 line
  });

  it("reads the failure counters and the power failure log", () => {
    expect(r.power_failures).toBe(5);
    expect(r.long_power_failures).toBe(3);
    // 1-0:99.97.0(1)(0-0:96.7.19)(190326095015W)(0000002014*s)
    expect(r.power_failure_log).toEqual([{ time: "2019-03-26T09:50:15+01:00", duration_s: 2014 }]);
    expect([r.voltage_sags_l3, r.voltage_swells_l1]).toEqual([192, 1]);
  });

  it("reads voltages, currents and per-phase powers", () => {
    expect([r.voltage_l1_v, r.voltage_l2_v, r.voltage_l3_v]).toEqual([229.9, 229.2, 222.9]);
    expect([r.current_l1_a, r.current_l2_a, r.current_l3_a]).toEqual([0, 0, 1]);
    expect([r.power_import_l1_kw, r.power_import_l2_kw, r.power_import_l3_kw]).toEqual([0.056, 0, 0.055]);
  });

  it("finds gas on channel 2 and leaves the empty channel 1 out", () => {
    expect(r.mbus).toEqual([
      {
        channel: 2,
        device_type: 3,
        medium: "gas",
        equipment_id: "G0039001936990619",
        value: 246.138,
        unit: "m3",
        time: "2020-04-26T22:30:01+02:00", // 200426223001S
      },
    ]);
    // 0-1:24.2.1(700101010000W)(00000000): kept in obis, no unit, so not a reading.
    expect(r.obis["0-1:24.2.1"]?.value).toBe(0);
    expect(r.obis["0-1:24.2.1"]?.unit).toBeUndefined();
    // 700101010000W is the 1970-01-01 placeholder of the unset channel, not a capture time.
    expect(r.obis["0-1:24.2.1"]?.time).toBeUndefined();
  });
});

describe("2018 Lux firmware without units on some lines", () => {
  const meta = JSON.parse(readFileSync(join(FIXTURES_DIR, "telegrams", "lux-2018-firmware.json"), "utf8")) as {
    crc_in_telegram: string;
    expected_fields: Record<string, { value: number; registry_unit: string } | string>;
  };
  const f = meta.expected_fields;
  const r = parseTelegram(readFileSync(join(FIXTURES_DIR, "telegrams", "lux-2018-firmware.txt")));

  it("passes its independently computed CRC", () => {
    expect(r.crc).toBe(meta.crc_in_telegram);
    expect(r.meter_id).toBe(f.meter_id);
    expect(r.time).toBe(f.time);
  });

  it("takes the missing units from the registry", () => {
    for (const code of ["1-0:3.7.0", "1-0:4.7.0", "0-0:17.0.0"]) {
      const want = f[code] as { value: number; registry_unit: string };
      expect(r.obis[code]).toEqual({ value: want.value, unit: want.registry_unit });
    }
    expect(r.reactive_power_import_kvar).toBe(0);
    expect(r.reactive_power_export_kvar).toBe(0.087);
    expect(r.power_limit_kva).toBe(77.376);
  });

  it("has no voltages or per-phase values, and nothing unknown", () => {
    expect(r.voltage_l1_v).toBeUndefined();
    expect(r.power_import_l1_kw).toBeUndefined();
    expect(r.unknown_codes).toEqual([]);
    expect(r.mbus).toEqual([]);
  });
});
