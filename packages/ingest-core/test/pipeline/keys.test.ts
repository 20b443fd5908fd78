import { describe, expect, it } from "vitest";
import { KeyError, parseKeyList, parseP1Key } from "../../src/pipeline/keys.js";

describe("P1 keys", () => {
  it("accepts 32 hex digits, with the separators operators print", () => {
    expect(parseP1Key("000102030405060708090a0b0c0d0e0f").toString("hex")).toBe("000102030405060708090a0b0c0d0e0f");
    expect(parseP1Key("00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F")[15]).toBe(0x0f);
  });

  it("names the problem without repeating the key", () => {
    try {
      parseP1Key("secretsecretsecret");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KeyError);
      expect((err as Error).message).not.toContain("secret");
    }
  });

  it("maps system titles to keys for a shared bus", () => {
    const m = parseKeyList(
      "5341476770012345:000102030405060708090A0B0C0D0E0F, 53414767700ABCDE:FFEEDDCCBBAA99887766554433221100",
    );
    expect([...m.keys()]).toEqual(["5341476770012345", "53414767700abcde"]);
    expect(parseKeyList("").size).toBe(0);
  });

  it("names the bad entry of a key list", () => {
    expect(() => parseKeyList("5341476770012345:0001")).toThrow(/entry 1: key must be 32/);
    expect(() => parseKeyList("5341476770012345:000102030405060708090A0B0C0D0E0F,nope")).toThrow(/entry 2/);
  });
});
