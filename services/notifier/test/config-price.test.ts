/**
 * The notifier's tariff takes its prices from the stack's one setting, SMARTY_PRICE_PER_KWH and
 * SMARTY_EXPORT_PRICE_PER_KWH, which the display and the exporter read too. The rule file's own prices are the old
 * way: still read for a release, each with a deprecation message for the log.
 */
import { ConfigError } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { loadNotifierConfig } from "../src/config.js";
import { parseFileConfig } from "../src/config-file.js";

describe("notifier tariff prices", () => {
  it("builds a tariff from SMARTY_PRICE_PER_KWH alone", () => {
    const { file } = loadNotifierConfig({ SMARTY_PRICE_PER_KWH: "0.2921", SMARTY_EXPORT_PRICE_PER_KWH: "0,1" });
    expect(file.tariff).toEqual({
      currency: "EUR",
      monthly_fee: 0,
      import_per_kwh: 0.2921,
      export_credit_per_kwh: 0.1,
    });
    expect(file.deprecations).toEqual([]);
  });

  it("has no tariff without a price", () => {
    expect(loadNotifierConfig({}).file.tariff).toBeUndefined();
  });

  it("keeps the file's fees and power class with the price from the environment", () => {
    const file = parseFileConfig("tariff: {monthly_fee: 9.5, power_class: {kw: 7, excess_per_kwh: 0.11}}", "F", {
      importPerKwh: 0.3,
    });
    expect(file.tariff).toMatchObject({ import_per_kwh: 0.3, export_credit_per_kwh: 0, monthly_fee: 9.5 });
    expect(file.tariff?.power_class?.kw).toBe(7);
    expect(file.deprecations).toEqual([]);
  });

  it("still reads the file's prices, with a deprecation message each", () => {
    const file = parseFileConfig("tariff: {import_per_kwh: 0.25, export_credit_per_kwh: 0.08}");
    expect(file.tariff).toMatchObject({ import_per_kwh: 0.25, export_credit_per_kwh: 0.08 });
    expect(file.deprecations).toEqual([
      expect.stringMatching(/tariff.import_per_kwh is deprecated: set SMARTY_PRICE_PER_KWH/),
      expect.stringMatching(/tariff.export_credit_per_kwh is deprecated: set SMARTY_EXPORT_PRICE_PER_KWH/),
    ]);
  });

  it("prefers the environment over the file's old price, and says the file's is ignored", () => {
    const file = parseFileConfig("tariff: {import_per_kwh: 0.25}", "NOTIFIER_CONFIG", { importPerKwh: 0.3 });
    expect(file.tariff?.import_per_kwh).toBe(0.3);
    expect(file.deprecations).toEqual([expect.stringMatching(/import_per_kwh is deprecated and ignored/)]);
  });

  it("refuses fees without any price, and a malformed price", () => {
    expect(() => parseFileConfig("tariff: {monthly_fee: 9.5}")).toThrow(/set SMARTY_PRICE_PER_KWH/);
    expect(() => loadNotifierConfig({ SMARTY_PRICE_PER_KWH: "cheap" })).toThrow(ConfigError);
  });
});
