import { fixturePath, frameFixture } from "@smarty/testkit/fixtures";
import { describe, expect, it } from "vitest";
import { type CliResult, runCliInProcess } from "./harness.js";

// The synthetic vectors' key, and a made-up one that looks like a real key; neither may be echoed anywhere.
const KEYS = ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "5C1E0F8A9B3D4E6F7A8B9C0D1E2F3A4B"];
const FRAME = frameFixture("synthetic_lux_spec_v113_spec_aad");

function expectNoKey(r: CliResult, key: string, what: string): void {
  const text = `${r.stdout.toString("latin1")}\n${r.stdout.toString("hex")}\n${r.stderr}`.toLowerCase();
  expect(text.includes(key.toLowerCase()), `${what} printed the key`).toBe(false);
  // Nor a recognisable part of it (an error that echoes a truncated value).
  expect(text.includes(key.toLowerCase().slice(4, 24)), `${what} printed part of the key`).toBe(false);
}

describe("the P1 key", () => {
  it("never appears in the output of any command, whatever the outcome", async () => {
    for (const key of KEYS) {
      const tampered = Buffer.from(FRAME);
      tampered[300]! ^= 0x10;
      const runs: [string, string[], Buffer | undefined, Record<string, string>?][] = [
        ["decode ok/auth failure", ["decode", "--key", key], FRAME],
        ["decode lower-case key", ["decode", "--key", key.toLowerCase()], FRAME],
        ["decode tampered", ["decode", "--key", key], tampered],
        ["decode no tag check", ["decode", "--key", key, "--no-verify-tag"], tampered],
        ["decode truncated", ["decode", "--key", key], FRAME.subarray(0, 40)],
        ["decode plaintext", ["decode", "--key", key, fixturePath("vectors/lux_spec_v113_example.txt")], undefined],
        ["decode key too long", ["decode", "--key", `${key}0`], FRAME],
        ["decode key too short", ["decode", "--key", key.slice(1)], FRAME],
        ["decode key as aad", ["decode", "--key", key, "--aad-key", key.slice(2)], FRAME],
        ["decode misspelt option", [`--kye=${key}`], FRAME],
        ["decode misspelt option 2", ["decode", `--kye=${key}`], FRAME],
        ["decode env", ["decode"], FRAME, { SMARTY_KEY: key }],
        ["decode env bad", ["decode"], FRAME, { SMARTY_KEY: `${key}FF` }],
        ["simulate", ["simulate", "--key", key, "--count", "3", "--speed", "max"], undefined],
        ["simulate hex", ["simulate", "--key", key, "--count", "3", "--speed", "max", "--hex"], undefined],
        ["simulate bad key", ["simulate", "--key", `${key}0`], undefined],
        ["help", ["decode", "--help", "--key", key], undefined],
      ];
      for (const [what, argv, stdin, env] of runs) {
        const r = await runCliInProcess(argv, { ...(stdin ? { stdin } : {}), ...(env ? { env } : {}) });
        expectNoKey(r, key, what);
      }
    }
  });
});
