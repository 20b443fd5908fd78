/**
 * Writes grafana/dashboards/*.json from the generator (node grafana/generator/build.mjs).
 * With --check it only compares and exits 1 when a file is out of date (the dashboard test runs this).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { energy, overview } from "./dashboards.mjs";
import { mbus, phases } from "./quality.mjs";
import { kiosk, system } from "./system.mjs";

/** File name (without .json) → dashboard. */
export const DASHBOARDS = { overview, energy, phases, mbus, system, kiosk };

const dir = fileURLToPath(new URL("../dashboards/", import.meta.url));
const check = process.argv.includes("--check");
const stale = [];
for (const [name, model] of Object.entries(DASHBOARDS)) {
  const file = `${dir}${name}.json`;
  const text = `${JSON.stringify(model, null, 2)}\n`;
  if (!check) {
    writeFileSync(file, text);
    continue;
  }
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // a missing file is out of date
  }
  if (current !== text) stale.push(file);
}
if (stale.length > 0) {
  process.stderr.write(`out of date, run node grafana/generator/build.mjs:\n${stale.join("\n")}\n`);
  process.exit(1);
}
