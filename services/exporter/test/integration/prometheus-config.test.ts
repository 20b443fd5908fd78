/** promtool on the shipped Prometheus files: config syntax, rule syntax and the rules' unit tests. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promtool } from "@smarty/testkit";
import { describe, expect, it } from "vitest";

const PROMETHEUS = fileURLToPath(new URL("../../../../prometheus/", import.meta.url));

describe("prometheus/ with promtool", () => {
  it("has a valid prometheus.yml", () => {
    const r = promtool(["check", "config", "prometheus.yml"], undefined, PROMETHEUS);
    expect(r.stdout + r.stderr).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  it("has valid recording rules", () => {
    const r = promtool(["check", "rules", join("rules", "smarty.yml")], undefined, PROMETHEUS);
    expect(r.stdout).toContain("SUCCESS: 12 rules found");
    expect(r.code).toBe(0);
  });

  it("passes the rules' unit tests with hand-computed series", () => {
    const r = promtool(["test", "rules", join("tests", "rules_test.yml")], undefined, PROMETHEUS);
    expect(r.stdout + r.stderr).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });
});
