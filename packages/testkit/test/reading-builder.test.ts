/**
 * The reading builder: values named by registry key come back as the telegram says them. Expected values are read
 * off the telegram lines the builder writes (quoted), never from the parser under test.
 */
import { describe, expect, it } from "vitest";
import { buildReading, buildTelegram, fixtureReading, LUX_METER_ID } from "../src/reading-builder.js";

describe("buildTelegram", () => {
  it("writes a Lux telegram with the meter id hex-encoded and the base values", () => {
    const text = buildTelegram({ values: { power_import_kw: 1.234 } });
    expect(text).toMatch(/^\/Lux5\\253663629_D\r\n\r\n1-3:0\.2\.8\(42\)\r\n/);
    expect(text).toContain("0-0:42.0.0(53414731303330373030303132373031)\r\n"); // SAG1030700012701
    expect(text).toContain("1-0:1.7.0(01.234*kW)\r\n");
    expect(text).toContain("1-0:32.7.0(231.0*V)\r\n");
    expect(text).toMatch(/\r\n![0-9A-F]{4}\r\n$/);
  });

  it("writes only version and meter id with base none, and appends extra lines as sent", () => {
    const text = buildTelegram({ base: "none", meterId: "M1", extraLines: ["0-1:96.3.10(0)"] });
    const lines = text.split("\r\n").filter((l) => /^\d/.test(l));
    expect(lines).toEqual(["1-3:0.2.8(42)", "0-0:1.0.0(260403175431S)", "0-0:42.0.0(4D31)", "0-1:96.3.10(0)"]);
  });
});

describe("buildReading", () => {
  it("gives the named values of the telegram it wrote", () => {
    const r = buildReading({ meterId: "SAG1", time: Date.UTC(2026, 0, 15, 12), values: { power_export_kw: 0.75 } });
    expect(r.meter_id).toBe("SAG1");
    expect(r.time).toBe("2026-01-15T13:00:00+01:00"); // 260115130000W
    expect(r.power_export_kw).toBe(0.75);
    expect(r.energy_import_kwh).toBe(273.764); // 1-0:1.8.0(000273.764*kWh)
    expect(r.crc).toMatch(/^[0-9A-F]{4}$/);
  });

  it("rounds as the meter does on the wire, and keeps exact values with wire: false", () => {
    const values = { energy_import_kwh: 1.00049 };
    expect(buildReading({ values }).energy_import_kwh).toBe(1); // 1-0:1.8.0(000001.000*kWh)
    const exact = buildReading({ wire: false, base: "none", values, time: Date.UTC(2026, 5, 1) });
    expect(exact).toEqual({
      meter_id: LUX_METER_ID,
      time: "2026-06-01T02:00:00+02:00",
      timestamp: "2026-06-01T02:00:00+02:00",
      version: "42",
      p1_version: "42",
      logical_device_name: LUX_METER_ID,
      header: "Lux5\\253663629_D",
      crc: null,
      obis: {},
      mbus: [],
      unparsed: [],
      unknown_codes: [],
      energy_import_kwh: 1.00049,
    });
  });

  it("makes M-Bus channels the same way with and without the wire", () => {
    const mbus = [{ channel: 1, device_type: 3, value: 12.5, unit: "m3", time: Date.UTC(2026, 5, 1), valve_state: 1 }];
    const gas = {
      channel: 1,
      device_type: 3,
      medium: "gas",
      value: 12.5,
      unit: "m3",
      time: "2026-06-01T02:00:00+02:00",
      valve_state: 1,
    };
    expect(buildReading({ base: "none", mbus }).mbus).toEqual([gas]);
    expect(buildReading({ base: "none", mbus, wire: false }).mbus).toEqual([gas]);
  });

  it("accepts registry keys only", () => {
    // @ts-expect-error: not a registry key (the registry names it power_import_kw)
    expect(() => buildReading({ values: { power_kw: 1 } })).not.toThrow();
  });

  it("parses a telegram of the fixture set by name", () => {
    expect(fixtureReading("lux_spec_v113_example").energy_import_kwh).toBe(25.653); // 1-0:1.8.0(000025.653*kWh)
  });
});
