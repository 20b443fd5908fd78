import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitPart } from "../src/dsmr-values.js";
import { decodeHexText, parseTelegram } from "../src/index.js";

describe("splitPart", () => {
  it("reads decimal numbers exactly as Number() does, with or without a unit", () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.stringMatching(/^\d{1,20}$/),
        fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
        fc.option(fc.constantFrom("kWh", "A", "", "m3"), { nil: undefined }),
        (negative, int, dec, unit) => {
          const num = `${negative ? "-" : ""}${int}${dec === undefined ? "" : `.${dec}`}`;
          const part = unit === undefined ? num : `${num}*${unit}`;
          expect(splitPart(part)).toEqual(unit === undefined ? { value: Number(num) } : { value: Number(num), unit });
        },
      ),
      { seed: 11, numRuns: 2000 },
    );
  });

  it("keeps anything else as text", () => {
    for (const s of ["", "-", ".5", "5.", "1e3", "0x10", "+1", "1.2.3", " 1", "1 ", "12*", "abc*kWh", "--1"]) {
      const want = /^-?\d+(\.\d+)?\*/.test(s) ? { value: Number(s.split("*")[0]), unit: "" } : { value: s };
      expect(splitPart(s), s).toEqual(want);
    }
  });
});

describe("decodeHexText", () => {
  it("decodes printable ASCII and keeps anything else as sent", () => {
    expect(decodeHexText("53414731303330373930303032353734")).toBe("SAG1030790002574");
    expect(decodeHexText("464c4f313839393030303630333535")).toBe("FLO189900060355");
    expect(decodeHexText("12345678")).toBe("12345678"); // control characters
    expect(decodeHexText("414")).toBe("414"); // odd length
    expect(decodeHexText("41G1")).toBe("41G1");
    expect(decodeHexText("")).toBe("");
  });
});

describe("lines that are not OBIS lines", () => {
  it("are kept in unparsed, trimmed, and never stop the telegram", () => {
    const r = parseTelegram(
      "/ABC5 test\r\n\r\nhello world\r\n1-0:1.8.0(000001.000*kWh)\r\n1-0:1.8.0 (1)\r\n  1-0:2.8.0((1))\r\n1234-0:1.8.0(1)\r\n!",
    );
    expect(r.unparsed).toEqual(["hello world", "1-0:1.8.0 (1)", "1-0:2.8.0((1))", "1234-0:1.8.0(1)"]);
    expect(r.energy_import_kwh).toBe(1);
    expect(r.crc).toBeNull();
  });

  it("an unknown OBIS code is kept in obis and listed in unknown_codes", () => {
    const r = parseTelegram("/ABC5\r\n\r\n1-0:99.1.0(12.5*kWh)(x)\r\n!");
    expect(r.obis["1-0:99.1.0"]).toEqual({
      value: 12.5,
      unit: "kWh",
      values: [{ value: 12.5, unit: "kWh" }, { value: "x" }],
    });
    expect(r.unknown_codes).toEqual(["1-0:99.1.0"]);
  });
});
