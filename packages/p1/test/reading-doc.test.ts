/**
 * docs/reading.md stays true: its generated parts (example reading, registry tables) equal what
 * scripts/gen-docs.mjs makes from the code now, and the hand-written prose names every registry key it relies on.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyBlocks, generatedBlocks, READING_DOC } from "../../../scripts/gen-docs.mjs";
import * as p1 from "../src/index.js";

describe("docs/reading.md", () => {
  const doc = readFileSync(READING_DOC, "utf8");
  const blocks = generatedBlocks(p1);

  it("has its generated parts up to date (run node scripts/gen-docs.mjs)", () => {
    for (const [name, body] of Object.entries(blocks)) {
      expect(doc, `block ${name}`).toContain(`<!-- generated:${name} -->\n${body}\n<!-- /generated:${name} -->`);
    }
    expect(applyBlocks(doc, blocks)).toBe(doc);
  });

  it("lists every registry row once, with code, key, unit, kind and description", () => {
    const rows = blocks.registry?.split("\n").slice(2) ?? [];
    expect(rows).toHaveLength(p1.OBIS_REGISTRY.length);
    p1.OBIS_REGISTRY.forEach((d, i) => {
      expect(rows[i]).toBe(`| \`${d.code}\` | \`${d.key}\` | ${d.unit ?? ""} | ${d.kind} | ${d.description} |`);
    });
  });

  it("shows the example as the reading of the Lux spec telegram, with both gas channels", () => {
    const json = blocks.example?.replace(/^```json\n/, "").replace(/\n```$/, "") ?? "";
    const example = JSON.parse(json) as p1.Reading;
    expect(example.meter_id).toBe("SAG1030790002574");
    expect(example.current_limit_a).toEqual([100, -63]);
    expect(example.mbus.map((m) => m.channel)).toEqual([1, 4]);
    expect(example.frame?.system_title).toBe(Buffer.from("SYSTEMID").toString("hex"));
  });
});
