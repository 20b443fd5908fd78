import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Command } from "../src/command.js";
import { COMMANDS } from "../src/main.js";
import { runCliInProcess } from "./harness.js";

describe("smarty", () => {
  it("lists every command in help, on stdout with exit 0", async () => {
    for (const argv of [["help"], ["--help"], ["-h"]]) {
      const r = await runCliInProcess(argv);
      expect(r.code).toBe(0);
      for (const c of COMMANDS) expect(r.stdout.toString()).toContain(`  ${c.name}`);
    }
  });

  it("prints a command's usage for 'help <command>' and '<command> --help'", async () => {
    for (const c of COMMANDS) {
      const a = await runCliInProcess(["help", c.name]);
      const b = await runCliInProcess([c.name, "--help"]);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      expect(a.stdout.toString()).toMatch(new RegExp(`^usage: smarty ${c.name}`));
      expect(b.stdout.equals(a.stdout)).toBe(true);
    }
  });

  it("exits 64 with the overview on stderr when no command is given, and on an unknown command", async () => {
    const none = await runCliInProcess([]);
    expect(none.code).toBe(64);
    expect(none.stderr).toMatch(/^usage: smarty <command>/);
    const unknown = await runCliInProcess(["frobnicate"]);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toBe("smarty: unknown command 'frobnicate'; run 'smarty help' for the list\n");
    expect((await runCliInProcess(["help", "frobnicate"])).code).toBe(64);
  });

  it("runs a command added to the table, and turns an unexpected error into exit 70 without a stack", async () => {
    const boom: Command = {
      name: "boom",
      summary: "fails",
      usage: "usage: smarty boom",
      run: () => Promise.reject(new Error("disk on fire")),
    };
    const help = await runCliInProcess(["help"], { commands: [...COMMANDS, boom] });
    expect(help.stdout.toString()).toContain("  boom");
    const r = await runCliInProcess(["boom"], { commands: [...COMMANDS, boom] });
    expect(r.code).toBe(70);
    expect(r.stderr).toBe("smarty boom: internal error: disk on fire\n");
  });
});

describe("smarty --version", () => {
  it("prints the version of the package on stdout with exit 0, for --version and -V", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-V"]) {
      const r = await runCliInProcess([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.toString()).toBe(`smarty ${version}\n`);
      expect(r.stderr).toBe("");
    }
  });
});
