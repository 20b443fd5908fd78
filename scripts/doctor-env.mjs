#!/usr/bin/env node
/**
 * `make doctor` without Docker: runs `smarty doctor` with the settings ingest gets from `.env`, so the doctor and
 * the service read the same source and key. Compose hands containers paths of their own; they are turned into this
 * host's: `/etc/smarty/NAME` (the mounted ./config/ingest) → ./config/ingest/NAME, and `serial:///dev/smarty-p1`
 * (the device compose maps) → SMARTY_SERIAL_DEVICE. Variables set in the environment win over `.env`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NAMES = ["SMARTY_SOURCE", "SMARTY_KEY", "SMARTY_KEY_FILE", "SMARTY_KEYS", "SMARTY_KEYS_FILE"];
const CONTAINER_DEVICE = "serial:///dev/smarty-p1";

/** `NAME=value` lines of a compose .env file (comments and blank lines skipped, one level of quotes removed). */
export function parseEnvFile(text) {
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[m[1]] = value;
  }
  return out;
}

/** The environment of the doctor: `.env` (text, or undefined without one) under `env`, paths made local. */
export function doctorEnvironment(envText, env) {
  const file = envText === undefined ? {} : parseEnvFile(envText);
  const merged = { ...file, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
  const device = merged.SMARTY_SERIAL_DEVICE || "/dev/ttyUSB0";
  const source = merged.SMARTY_SOURCE || CONTAINER_DEVICE;
  const out = { ...merged, SMARTY_SOURCE: source === CONTAINER_DEVICE ? `serial://${device}` : source };
  for (const name of NAMES.filter((n) => n.endsWith("_FILE"))) {
    const path = out[name];
    if (path?.startsWith("/etc/smarty/") && !existsSync(path))
      out[name] = join(ROOT, "config", "ingest", path.slice("/etc/smarty/".length));
  }
  return out;
}

function main() {
  const envPath = join(ROOT, ".env");
  const text = existsSync(envPath) ? readFileSync(envPath, "utf8") : undefined;
  const env = doctorEnvironment(text, process.env);
  console.error(
    `make doctor: ${text === undefined ? "no .env; " : "settings from .env; "}source ${env.SMARTY_SOURCE}` +
      (env.SMARTY_KEY_FILE ? `, key file ${env.SMARTY_KEY_FILE}` : ""),
  );
  const r = spawnSync(process.execPath, [join(ROOT, "packages/cli/dist/main.js"), "doctor", ...process.argv.slice(2)], {
    stdio: "inherit",
    env,
  });
  process.exit(r.status ?? 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
