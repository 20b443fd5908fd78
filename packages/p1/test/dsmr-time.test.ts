import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DUMMY_MBUS_TIME, formatDsmrTime, luxembourgOffsetMinutes, parseDsmrTime } from "../src/index.js";

describe("parseDsmrTime", () => {
  it("uses the S and W flags for the offset", () => {
    expect(parseDsmrTime("200706104157S")).toBe("2020-07-06T10:41:57+02:00");
    expect(parseDsmrTime("191031142239W")).toBe("2019-10-31T14:22:39+01:00");
  });

  it("rejects the M-Bus dummy time and impossible dates", () => {
    for (const t of [DUMMY_MBUS_TIME, "200230120000W", "210229120000W", "201301000000W", "200100000000W"]) {
      expect(parseDsmrTime(t), t).toBeUndefined();
    }
    for (const t of ["200101240000W", "200101236000W", "200101235960W", "2001011200W", "200101120000X", ""]) {
      expect(parseDsmrTime(t), t).toBeUndefined();
    }
    expect(parseDsmrTime("200229120000W")).toBe("2020-02-29T12:00:00+01:00"); // leap year
  });

  it("reads YY 00-69 as 20YY and drops YY 70-99, the 1970 placeholder of an unset M-Bus channel", () => {
    // dsmrparser_v5_two_mbus: 0-1:24.2.1(700101010000W)(00000000), channel 1 not configured.
    expect(parseDsmrTime("700101010000W")).toBeUndefined();
    expect(parseDsmrTime("700101010000")).toBeUndefined();
    expect(parseDsmrTime("991231235959W")).toBeUndefined();
    expect(parseDsmrTime("000101000000W")).toBe("2000-01-01T00:00:00+01:00");
    expect(parseDsmrTime("691231235959W")).toBe("2069-12-31T23:59:59+01:00");
  });

  it("without a flag applies the EU rule: last Sunday of March and October at 01:00 UTC", () => {
    // 2024: summer time from 31 March 02:00 (local, winter) to 27 October 03:00 (local, summer).
    expect(parseDsmrTime("240331015959")).toBe("2024-03-31T01:59:59+01:00");
    expect(parseDsmrTime("240331030000")).toBe("2024-03-31T03:00:00+02:00");
    expect(parseDsmrTime("241027015959")).toBe("2024-10-27T01:59:59+02:00");
    expect(parseDsmrTime("241027023000")).toBe("2024-10-27T02:30:00+01:00"); // ambiguous hour: winter
    expect(parseDsmrTime("241027030000")).toBe("2024-10-27T03:00:00+01:00");
  });

  it("formatDsmrTime and parseDsmrTime agree on every instant, across DST changes", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2001, 0, 1) / 1000, max: Date.UTC(2069, 11, 31) / 1000 }), (s) => {
        const ms = s * 1000;
        const iso = parseDsmrTime(formatDsmrTime(ms));
        expect(Date.parse(iso ?? "")).toBe(ms);
        expect(iso?.endsWith(luxembourgOffsetMinutes(ms) === 120 ? "+02:00" : "+01:00")).toBe(true);
      }),
      { seed: 7, numRuns: 2000 },
    );
  });

  it("offsets match Europe/Luxembourg from the platform's time zone data", () => {
    const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Luxembourg", timeZoneName: "longOffset" });
    for (let ms = Date.UTC(2018, 0, 1); ms < Date.UTC(2031, 0, 1); ms += 11 * 3600_000 + 17 * 60_000) {
      const tz = fmt.formatToParts(ms).find((p) => p.type === "timeZoneName")?.value;
      expect(luxembourgOffsetMinutes(ms) === 120 ? "GMT+02:00" : "GMT+01:00").toBe(tz);
    }
  });
});
