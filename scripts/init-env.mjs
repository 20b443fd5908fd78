#!/usr/bin/env node
/**
 * `make env`: creates .env from .env.example with a fresh random value (crypto.randomBytes, 16 bytes as hex) for
 * every empty password line marked REQUIRED, readable by its owner only. Never overwrites an existing .env.
 * The P1 key stays empty: it comes from the grid operator.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./demo-support.mjs";

const target = resolve(ROOT, process.argv[2] ?? ".env");
if (existsSync(target)) {
  console.error(`${target} exists already; not touching it.`);
  process.exit(1);
}
let required = false;
const filled = [];
const lines = readFileSync(join(ROOT, ".env.example"), "utf8")
  .split("\n")
  .map((line) => {
    if (line.startsWith("# ")) {
      required ||= line.startsWith("# REQUIRED.");
      return line;
    }
    const m = /^([A-Z][A-Z0-9_]*_PASSWORD)=$/.exec(line);
    const wasRequired = required;
    required = false;
    if (!m || !wasRequired) return line;
    filled.push(m[1]);
    return `${m[1]}=${randomBytes(16).toString("hex")}`;
  });
writeFileSync(target, lines.join("\n"), { mode: 0o600 });
console.log(`Wrote ${target} with new random values for ${filled.join(", ")}.`);
console.log(
  "Next: set SMARTY_KEY (from your grid operator) and SMARTY_SERIAL_DEVICE in it, then: docker compose up -d",
);
