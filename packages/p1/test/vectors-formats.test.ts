/**
 * Telegram formats beyond Luxembourg and DSMR 4/5 that real meters send: DSMR 2.2/3.0 gas with the index on the
 * next line, Belgian e-MUCS (Fluvius) values and M-Bus indexes on `0-n:24.2.3`, and registers on B-field channel 1
 * (`1-1:1.8.1`). Every expected value is quoted from the telegram text next to its assertion.
 */
import { describe, expect, it } from "vitest";
import { CrcError, crc16, FrameFormatError, formatCrc, parseTelegram, type Reading } from "../src/index.js";
import { FORMAT_VECTORS, type PlaintextMeta, vectorBytes, vectorMeta } from "./helpers/vectors.js";

const parse = (name: string): Reading => parseTelegram(vectorBytes(`${name}.txt`));

describe("every format vector", () => {
  it.each(FORMAT_VECTORS)("%s: its JSON gives the size, the CRC after `!` and the CRC of the text", (name) => {
    const meta = vectorMeta<
      Omit<PlaintextMeta, "crc_in_telegram" | "crc_valid"> & {
        crc_in_telegram: string | null;
        crc_valid: boolean | null;
      }
    >(name);
    const bytes = vectorBytes(meta.file);
    const bang = bytes.lastIndexOf(0x21);
    expect(bytes.length).toBe(meta.bytes);
    expect(formatCrc(crc16(bytes, 0, bang + 1))).toBe(meta.crc_computed);
    // The four hex digits after `!`, or none (DSMR 2.2 and 3.0 send no CRC).
    const sent = bytes.subarray(bang + 1, bang + 5).toString("latin1");
    expect(meta.crc_in_telegram).toBe(/^[0-9A-F]{4}$/.test(sent) ? sent : null);
    expect(meta.crc_valid).toBe(meta.crc_in_telegram === null ? null : meta.crc_in_telegram === meta.crc_computed);
    expect(parse(name).crc).toBe(meta.crc_in_telegram);
  });
});

describe("DSMR 2.2 and 3.0 gas: 0-n:24.3.0 with the index on the next line", () => {
  it.each([
    ["dsmrparser_v22_gas_next_line", "2016-11-07T19:00:00+01:00"], // 0-1:24.3.0(161107190000)…, November: winter
    ["dsmrparser_v3_gas_next_line", "2009-02-12T16:00:00+01:00"], // 0-1:24.3.0(090212160000)…
  ])("%s: the gas index (00001.001) in m3 becomes the channel's value", (name, time) => {
    const r = parse(name);
    expect(r.crc).toBeNull(); // `!` with nothing after it
    expect(r.unparsed).toEqual([]);
    expect(r.mbus).toEqual([
      expect.objectContaining({ channel: 1, device_type: 3, medium: "gas", value: 1.001, unit: "m3", time }),
    ]);
    expect(r.obis["0-1:24.3.0"]).toEqual({ value: 1.001, unit: "m3", time });
    expect(r.mbus[0]?.valve_state).toBe(1); // 0-1:24.4.0(1)
  });

  it("names the DSMR 2.2 electricity registers", () => {
    const r = parse("dsmrparser_v22_gas_next_line");
    expect(r.energy_import_tariff1_kwh).toBe(1.001); // 1-0:1.8.1(00001.001*kWh)
    expect(r.power_import_kw).toBe(1.01); // 1-0:1.7.0(0001.01*kW)
    expect(r.tariff_indicator).toBe(1); // 0-0:96.14.0(0001)
  });

  it("a continuation line without its 0-n:24.3.0 line stays unparsed", () => {
    const text = "/ISk5\\2MT382-1004\r\n\r\n1-0:1.8.1(00001.001*kWh)\r\n(00001.001)\r\n!\r\n";
    const r = parseTelegram(text);
    expect(r.unparsed).toEqual(["(00001.001)"]);
    expect(r.energy_import_tariff1_kwh).toBe(1.001);
  });
});

describe("Belgian e-MUCS P1 (Fluvius v1.7.1)", () => {
  const r = parse("dsmrparser_fluvius_v171");

  it("passes its CRC 3AD7 and reads every line", () => {
    expect(vectorMeta<{ crc_valid: boolean }>("dsmrparser_fluvius_v171").crc_valid).toBe(true);
    expect(r.crc).toBe("3AD7");
    expect(r.unparsed).toEqual([]);
    expect(r.unknown_codes).toEqual([]);
  });

  it("names the version, the demand values and the fuse threshold", () => {
    expect(r.emucs_version).toBe("50217"); // 0-0:96.1.4(50217)
    expect(r.version).toBe("50217");
    expect(r.average_demand_kw).toBe(2.351); // 1-0:1.4.0(02.351*kW)
    expect(r.peak_demand_month_kw).toBe(2.589); // 1-0:1.6.0(200509134558S)(02.589*kW)
    expect(r.obis["1-0:1.6.0"]).toEqual({ value: 2.589, unit: "kW", time: "2020-05-09T13:45:58+02:00" });
    expect(r.fuse_threshold_a).toBe(999); // 1-0:31.4.0(999*A)
    expect(r.power_limit_kva).toBeUndefined(); // 0-0:17.0.0(999.9*kW): kW is not the registry's kVA
  });

  it("gives the 13-month peak history as months with their peak time and value", () => {
    // 0-0:98.1.0(3)(1-0:1.6.0)(1-0:1.6.0)(200501000000S)(200423192538S)(03.695*kW)(200401000000S)
    //   (200305122139S)(05.980*kW)(200301000000S)(200210035421W)(04.318*kW)
    expect(r.peak_demand_history).toEqual([
      { month: "2020-05-01T00:00:00+02:00", time: "2020-04-23T19:25:38+02:00", kw: 3.695 },
      { month: "2020-04-01T00:00:00+02:00", time: "2020-03-05T12:21:39+02:00", kw: 5.98 },
      { month: "2020-03-01T00:00:00+02:00", time: "2020-02-10T03:54:21+01:00", kw: 4.318 },
    ]);
  });

  it("reads gas on 0-1:24.2.3 and water on 0-2:24.2.1, with the 0-n:96.1.1 ids", () => {
    expect(r.mbus).toEqual([
      {
        channel: 1,
        device_type: 3, // 0-1:24.1.0(003)
        medium: "gas",
        equipment_id: "7FLO2119033733", // 0-1:96.1.1(37464C4F32313139303333373333)
        value: 112.384, // 0-1:24.2.3(200512134558S)(00112.384*m3)
        unit: "m3",
        time: "2020-05-12T13:45:58+02:00",
        valve_state: 1, // 0-1:24.4.0(1)
      },
      {
        channel: 2,
        device_type: 7, // 0-2:24.1.0(007)
        medium: "water",
        equipment_id: "8SAG1234567890", // 0-2:96.1.1(3853414731323334353637383930)
        value: 872.234, // 0-2:24.2.1(200512134558S)(00872.234*m3)
        unit: "m3",
        time: "2020-05-12T13:45:58+02:00",
      },
    ]);
  });

  it("a peak history entry with the dummy time keeps its value and a null time", () => {
    const alt = parse("dsmrparser_fluvius_v171_alt");
    expect(alt.crc).toBe("C4B0");
    // 0-0:98.1.0(4)(1-0:1.6.0)(1-0:1.6.0)(230801000000S)(632525252525W)(00.000*kW)(230901000000S)…
    expect(alt.peak_demand_history?.[0]).toEqual({ month: "2023-08-01T00:00:00+02:00", time: null, kw: 0 });
    expect(alt.peak_demand_history?.[3]).toEqual({
      month: "2023-11-01T00:00:00+01:00", // (231101000000W)
      time: "2023-10-16T13:00:00+02:00", // (231016130000S)
      kw: 4.927, // (04.927*kW)
    });
    expect(alt.mbus[0]?.value).toBe(92.287); // 0-1:24.2.3(231102121002W)(00092.287*m3)
  });

  it("names the grid configuration and EAN code lines of newer e-MUCS meters", () => {
    // Lines as in the e-MUCS P1 v1.7.x telegrams of mrWheel/DSMRlogger32 and the Fluvius XT211 comments.
    const text = "/FLU5\\253769484_A\r\n\r\n0-0:96.1.4(50221)\r\n1-0:94.32.1(400)\r\n0-0:96.1.2(3534)\r\n!";
    const r2 = parseTelegram(text, { verifyCrc: false });
    expect(r2.grid_configuration).toBe("400");
    expect(r2.ean_code).toBe("54");
  });
});

describe("B-field channel 1 (1-1:1.8.1 …) gives the same named values as 1-0:", () => {
  const b1 = parse("synthetic_b_field_1");
  const b0 = parse("dsmrparser_v5");

  it("names every register of the 1-1: lines", () => {
    expect(b1.energy_import_tariff1_kwh).toBe(4.426); // 1-1:1.8.1(000004.426*kWh)
    expect(b1.energy_import_tariff2_kwh).toBe(2.399); // 1-1:1.8.2(000002.399*kWh)
    expect(b1.energy_export_tariff1_kwh).toBe(2.444); // 1-1:2.8.1(000002.444*kWh)
    expect(b1.energy_export_tariff2_kwh).toBe(0); // 1-1:2.8.2(000000.000*kWh)
    expect(b1.power_import_kw).toBe(0.244); // 1-1:1.7.0(00.244*kW)
    expect(b1.power_export_kw).toBe(0); // 1-1:2.7.0(00.000*kW)
    expect(b1.unknown_codes).toEqual([]);
    expect(b1.obis["1-1:1.8.1"]).toEqual({ value: 4.426, unit: "kWh" });
  });

  it("every named value equals the 1-0: telegram's", () => {
    const named = (r: Reading) =>
      Object.fromEntries(Object.entries(r).filter(([k]) => !["obis", "crc", "unknown_codes"].includes(k)));
    expect(named(b1)).toEqual(named(b0));
  });

  it("the Lux 1-1:31.4.0 current limit keeps its own row", () => {
    const r = parse("lux_spec_v113_example");
    expect(r.current_limit_a).toBeDefined();
    expect(r.fuse_threshold_a).toBeUndefined();
  });
});

describe("what is wrong is still refused", () => {
  const fluvius = vectorBytes("dsmrparser_fluvius_v171.txt").toString("latin1");

  it("a telegram without its '!' end", () => {
    expect(() => parseTelegram(fluvius.slice(0, fluvius.indexOf("!")))).toThrow(FrameFormatError);
  });

  it("a wrong CRC", () => {
    expect(() => parseTelegram(fluvius.replace("!3AD7", "!3AD8"))).toThrow(CrcError);
  });

  it("an impossible time (month 00) as null, in the M-Bus and peak lines too", () => {
    const text = fluvius
      .replace("0-0:1.0.0(200512135409S)", "0-0:1.0.0(200012135409S)")
      .replace("0-1:24.2.3(200512134558S)", "0-1:24.2.3(200012134558S)")
      .replace("1-0:1.6.0(200509134558S)", "1-0:1.6.0(200009134558S)");
    const r = parseTelegram(text, { verifyCrc: false });
    expect(r.time).toBeNull();
    expect(r.mbus[0]?.time).toBeUndefined();
    expect(r.obis["1-0:1.6.0"]?.time).toBeUndefined();
    expect(r.peak_demand_month_kw).toBe(2.589);
  });
});
