import { parseTelegram } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { decodeStateValue, encodeStateValue, stateValues } from "../src/state.js";

describe("state topic values", () => {
  it("writes numbers in shortest decimal form and text as is", () => {
    expect(encodeStateValue(25.653)).toBe("25.653");
    expect(encodeStateValue(0)).toBe("0");
    expect(encodeStateValue(-63)).toBe("-63");
    expect(encodeStateValue("SAG1030700012701")).toBe("SAG1030700012701");
  });

  it("writes multi-value lines and logs as compact JSON", () => {
    expect(encodeStateValue([100, -63])).toBe("[100,-63]");
    expect(encodeStateValue([{ time: "2020-07-06T10:00:00+02:00", duration_s: 5 }])).toBe(
      '[{"time":"2020-07-06T10:00:00+02:00","duration_s":5}]',
    );
  });

  it("publishes nothing for missing or non-finite values", () => {
    expect(encodeStateValue(undefined)).toBeUndefined();
    expect(encodeStateValue(null)).toBeUndefined();
    expect(encodeStateValue(Number.NaN)).toBeUndefined();
  });

  it("decodes what it encodes", () => {
    expect(decodeStateValue("25.653")).toBe(25.653);
    expect(decodeStateValue(Buffer.from("[100,-63]"))).toEqual([100, -63]);
    expect(decodeStateValue("2020-07-06T10:41:57+02:00")).toBe("2020-07-06T10:41:57+02:00");
    expect(decodeStateValue("[not json")).toBe("[not json");
  });

  it("lists the registry values of a telegram with the values the telegram says", () => {
    // Lux spec v1.1.3 Appendix A lines, CRC computed for this text.
    const lines = [
      "/Lux5\\253694471_M",
      "",
      "1-3:0.2.8(42)",
      "0-0:1.0.0(200706104157S)",
      "1-0:1.8.0(000025.653*kWh)",
      "1-0:1.7.0(00.005*kW)",
      "1-1:31.4.0(100*A)(-063*A)",
      "1-0:32.7.0(233.0*V)",
      "!",
    ];
    const reading = parseTelegram(lines.join("\r\n"), { verifyCrc: false });
    const values = Object.fromEntries(stateValues(reading).map((v) => [v.key, v.value]));
    expect(values).toEqual({
      p1_version: "42",
      timestamp: "2020-07-06T10:41:57+02:00",
      energy_import_kwh: "25.653",
      power_import_kw: "0.005",
      current_limit_a: "[100,-63]",
      voltage_l1_v: "233",
    });
  });
});
