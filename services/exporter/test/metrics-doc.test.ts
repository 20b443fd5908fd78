import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { allFamilies } from "../src/catalogue.js";
import { renderMetricsDoc } from "../src/metrics-doc.js";

const DOC = fileURLToPath(new URL("../../../docs/metrics.md", import.meta.url));

describe("docs/metrics.md", () => {
  it("is in sync with the registry (npm run docs:metrics -w services/exporter)", () => {
    expect(readFileSync(DOC, "utf8")).toBe(renderMetricsDoc());
  });

  it("documents every metric family with its source", () => {
    const doc = renderMetricsDoc();
    for (const f of allFamilies()) expect(doc).toContain(`\`${f.name}\``);
    expect(doc).toContain("1-0:1.8.0");
    expect(doc).toContain("kWh × 3,600,000");
  });
});
