import { describe, expect, it } from "vitest";
import { importRaised, withCrc, yearsAhead } from "./telegram-edit.js";

const body = "/Ls5\\2XYZ\r\n\r\n0-0:1.0.0(260329101500S)\r\n1-0:1.8.0(000123.456*kWh)\r\n!";

describe("hostile telegram edits", () => {
  it("moves the meter time years ahead with a fresh CRC", () => {
    const t = yearsAhead(withCrc(body), 5);
    expect(t).toContain("0-0:1.0.0(310329101500S)");
    expect(t).toBe(withCrc(t));
  });

  it("raises the import register with a fresh CRC", () => {
    const t = importRaised(withCrc(body), 500);
    expect(t).toContain("1-0:1.8.0(000623.456*kWh)");
    expect(t).toBe(withCrc(t));
  });
});
