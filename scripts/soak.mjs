#!/usr/bin/env node
/**
 * `npm run soak [-- --days 30 --meters 3 --seed 20260329 --interval 60]`: builds the services if needed, then runs
 * the soak (test/soak/cli.ts) with the workspace sources resolved through the "source" export condition.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = ["ingest", "exporter", "display", "notifier"].every((s) =>
  existsSync(join(root, "services", s, "dist/main.js")),
);
if (!built) {
  const b = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(
  process.execPath,
  ["--conditions=source", "--import", "tsx", join(root, "test/soak/cli.ts"), ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
process.exit(r.status ?? 1);
