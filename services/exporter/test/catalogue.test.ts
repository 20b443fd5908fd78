import { OBIS_REGISTRY } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { allFamilies, CatalogueError, registryFamilies } from "../src/catalogue.js";

describe("metric catalogue", () => {
  it("groups the per-phase registry rows under one family with a phase label", () => {
    const voltage = registryFamilies().find((f) => f.name === "smarty_voltage_volts");
    expect(voltage?.labels).toEqual(["meter", "phase"]);
    expect(voltage?.rows.map((r) => r.def.code)).toEqual(["1-0:32.7.0", "1-0:52.7.0", "1-0:72.7.0"]);
  });

  it("splits the two values of the current limit line into two families", () => {
    const names = registryFamilies()
      .filter((f) => f.source === "1-1:31.4.0")
      .map((f) => f.name);
    expect(names).toEqual(["smarty_current_limit_imported_amperes", "smarty_current_limit_exported_amperes"]);
  });

  it("follows the Prometheus naming rules for every family", () => {
    const families = allFamilies();
    const names = families.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const f of families) {
      expect(f.name).toMatch(/^smarty_[a-z0-9_]+$/);
      expect(f.name.endsWith("_total")).toBe(f.type === "counter");
      expect(f.help).toMatch(/\.$/);
      for (const l of f.labels) expect(l).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(f.labels).not.toContain("instance");
      expect(f.labels).not.toContain("job");
    }
  });

  it("refuses registry rows that share a name but disagree on the type", () => {
    const energy = OBIS_REGISTRY.find((d) => d.key === "energy_import_kwh");
    if (!energy) throw new Error("registry lost energy_import_kwh");
    const clash = {
      ...energy,
      code: "9-9:9.9.9",
      key: "clash",
      metric: { name: "smarty_energy_imported_joules_total", type: "gauge" as const, scale: 1, help: "x." },
    };
    expect(() => registryFamilies([energy, clash])).toThrow(CatalogueError);
  });
});
