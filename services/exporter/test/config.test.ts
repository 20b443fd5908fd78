import { ConfigError } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { loadExporterConfig } from "../src/config.js";

describe("exporter configuration", () => {
  it("has documented defaults: port 9464, stale after 60 s, power class 3 kW", () => {
    const c = loadExporterConfig({});
    expect(c.EXPORTER_PORT).toBe(9464);
    expect(c.EXPORTER_STALE_AFTER).toBe(60_000);
    expect(c.EXPORTER_POWER_CLASS).toBe(3000);
    expect(c.EXPORTER_HOST).toBe("0.0.0.0");
  });

  it("reads the power class in kW with or without the unit", () => {
    expect(loadExporterConfig({ EXPORTER_POWER_CLASS: "7" }).EXPORTER_POWER_CLASS).toBe(7000);
    expect(loadExporterConfig({ EXPORTER_POWER_CLASS: "12kW" }).EXPORTER_POWER_CLASS).toBe(12000);
    expect(loadExporterConfig({ EXPORTER_STALE_AFTER: "2m" }).EXPORTER_STALE_AFTER).toBe(120_000);
  });

  it("lists every bad variable at once", () => {
    let error: unknown;
    try {
      loadExporterConfig({ EXPORTER_PORT: "http", EXPORTER_STALE_AFTER: "soon", EXPORTER_POWER_CLASS: "-3" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toContain("EXPORTER_PORT");
    expect(problems).toContain("EXPORTER_STALE_AFTER");
    expect(problems).toContain("EXPORTER_POWER_CLASS");
  });
});
