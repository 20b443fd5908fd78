import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT } from "../src/command.js";
import { COMMANDS } from "../src/main.js";

const cliDoc = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");

describe("docs/cli.md", () => {
  it("has a section and a table row for every command", () => {
    for (const c of COMMANDS) {
      expect(cliDoc, c.name).toMatch(new RegExp(`^## \`smarty ${c.name}\``, "m"));
      expect(cliDoc, c.name).toMatch(new RegExp(`^\\| \`smarty ${c.name}\` +\\|`, "m"));
    }
    expect(cliDoc).toContain("smarty --version");
  });

  it("lists every exit code the commands use, the doctor's 1 included", () => {
    for (const code of [...Object.values(EXIT), 1])
      expect(cliDoc, String(code)).toMatch(new RegExp(`^\\| ${code} +\\|`, "m"));
  });
});
