import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { displayEnv } from "../src/config.js";

const docs = (name: string) => readFileSync(new URL(`../../../docs/${name}`, import.meta.url), "utf8");

describe("documentation", () => {
  it("docs/configuration.md documents every variable the display reads", () => {
    const text = docs("configuration.md");
    const missing = Object.keys(displayEnv.shape).filter((name) => !text.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it("docs/display.md shows the screenshots the browser test writes", () => {
    const text = docs("display.md");
    for (const size of ["phone", "tablet"]) {
      for (const scheme of ["light", "dark"]) expect(text).toContain(`images/display-${size}-${scheme}.png`);
    }
    for (const lang of ["fr", "lb"]) expect(text).toContain(`images/display-tablet-${lang}.png`);
  });
});
