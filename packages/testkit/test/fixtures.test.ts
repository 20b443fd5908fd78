/**
 * The typed names of src/fixtures.ts and the files of packages/testkit/fixtures are the same set, so a test that
 * compiles finds its file, and a file nobody listed (a copy, a leftover) is noticed.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  FIXTURES_DIR,
  fixture,
  fixtureNames,
  frameFixture,
  goldenReading,
  telegramFixture,
  vectorMeta,
} from "../src/fixtures.js";

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [relative(FIXTURES_DIR, join(dir, e.name))],
  );
}

describe("the fixture set", () => {
  it("lists exactly the files of the fixtures folder", () => {
    expect([...fixtureNames()].sort()).toEqual(filesUnder(FIXTURES_DIR).sort());
  });

  it("reads a telegram, a frame, metadata and a golden by name", () => {
    // lux_spec_v113_example.json: 1489 bytes, CRC 8B52 (Luxmetering P1 spec v1.1.3 Appendix A).
    const text = telegramFixture("lux_spec_v113_example");
    expect(text.length).toBe(1489);
    expect(text.toString("latin1")).toContain("!8B52\r\n");
    expect(telegramFixture("lux-2018-firmware").toString("latin1")).toMatch(/^\/Lux5/);
    // A Smarty frame starts with the general-glo-ciphering tag 0xDB and an 8-byte system title.
    expect(frameFixture("synthetic_lux_spec_v113_spec_aad").subarray(0, 2).toString("hex")).toBe("db08");
    expect(vectorMeta<{ crc_in_telegram: string }>("meterlogger_lux_2026").crc_in_telegram).toBe("80F6");
    expect(goldenReading("meterlogger_lux_2026").meter_id).toBe("SAG1030700012701");
    expect(fixture("vectors/README.md").toString("utf8")).toContain("# Test vectors");
  });
});
