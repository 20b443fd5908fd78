#!/usr/bin/env node
/**
 * `make env`: creates .env from .env.example with a fresh random value (crypto.randomBytes, 16 bytes as hex) for
 * every empty password line marked REQUIRED, readable by its owner only (0600). Never overwrites an existing .env,
 * but makes it 0600 (with a warning) when other users could read it.
 * The P1 key stays empty: it comes from the grid operator.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT } from "./demo-support.mjs";

const target = resolve(ROOT, process.argv[2] ?? ".env");
if (existsSync(target)) {
  // A .env made by `cp .env.example .env` is 0644 under the usual umask: the P1 key and every password would be
  // readable by any user of the Pi. Its content stays as it is; only the mode is fixed.
  const mode = statSync(target).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    chmodSync(target, 0o600);
    console.error(
      `warning: ${target} was readable by other users (mode ${mode.toString(8).padStart(4, "0")}); it is now 0600.`,
    );
  }
  console.error(`${target} exists already; its content is left as it is.`);
  process.exit(0);
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
