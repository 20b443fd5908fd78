import { describe, expect, it } from "vitest";
import { CrcError, FrameFormatError, parseTelegram } from "../src/index.js";
import { vectorBytes } from "./helpers/vectors.js";

/** The CRC after `!` (DSMR 5.0.2 §6.2): exactly four hex digits, in either case. */
describe("parseTelegram: the CRC after '!'", () => {
  const fluvius = vectorBytes("dsmrparser_fluvius_v171.txt").toString("latin1");

  it("accepts lower-case hex digits and reports the CRC in upper case", () => {
    const lower = fluvius.replace("!3AD7", "!3ad7");
    expect(parseTelegram(lower).crc).toBe("3AD7");
    expect(parseTelegram(Buffer.from(lower, "latin1")).crc).toBe("3AD7");
  });

  it("names the sent and the computed CRC when they differ", () => {
    let err: unknown;
    try {
      parseTelegram(fluvius.replace("!3AD7", "!3ad8"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CrcError);
    expect(err).toMatchObject({ expected: "3AD8", actual: "3AD7" });
  });

  it("refuses a CRC that is not exactly four hex digits", () => {
    const bang = fluvius.indexOf("!");
    for (const tail of ["3AD", "3AG7", " 3AD7", "3A D7"]) {
      expect(() => parseTelegram(`${fluvius.slice(0, bang + 1)}${tail}\r\n`)).toThrow(FrameFormatError);
    }
  });

  it("takes a telegram that ends at '!' or with only whitespace after it as one without CRC", () => {
    const bang = fluvius.indexOf("!");
    for (const tail of ["", "\r\n", "    "]) {
      expect(parseTelegram(fluvius.slice(0, bang + 1) + tail, { verifyCrc: false }).crc).toBeNull();
    }
  });
});
