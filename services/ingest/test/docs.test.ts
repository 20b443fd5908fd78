import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OBIS_REGISTRY } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { ingestEnv } from "../src/config.js";

const docs = (name: string) => readFileSync(join(import.meta.dirname, "..", "..", "..", "docs", name), "utf8");

describe("documentation", () => {
  it("docs/mqtt.md lists every state key of the OBIS registry", () => {
    const text = docs("mqtt.md");
    const missing = OBIS_REGISTRY.filter((d) => !text.includes(`| \`${d.key}\` | ${d.code} |`)).map((d) => d.key);
    expect(missing).toEqual([]);
  });

  it("docs/configuration.md documents every variable the ingest reads", () => {
    const text = docs("configuration.md");
    const missing = Object.keys(ingestEnv.shape).filter((name) => !text.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
