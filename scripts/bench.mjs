/**
 * `npm run bench` / `make bench`: runs every benchmark in scripts/bench/*.mjs, the codec first, each in its own
 * node process (a fresh JIT, and one failing benchmark does not hide the others). Benchmarks print numbers and
 * ratios; they never fail on a target, only on an error.
 *
 *   node scripts/bench.mjs            all benchmarks
 *   node scripts/bench.mjs codec      only the ones whose file name contains "codec"
 *
 * The workspace packages a benchmark imports come from dist/; the P1 codec is (incrementally) built here, so
 * `npm run bench` works without `npm run build` first (`make bench` builds everything).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const benchDir = join(root, "scripts", "bench");

/** tsc -b is incremental: it rebuilds a package only when its sources changed, in about two seconds otherwise. */
function ensureBuilt(pkg) {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const built = spawnSync(process.execPath, [tsc, "-b", join(pkg, "tsconfig.build.json")], {
    cwd: root,
    stdio: "inherit",
  });
  if (built.status !== 0) {
    console.error(`bench: building ${pkg} failed`);
    process.exit(1);
  }
}

const filters = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith(".mjs"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort((a, b) => (a === "codec.mjs" ? -1 : b === "codec.mjs" ? 1 : a.localeCompare(b)));

if (files.length === 0) {
  console.error(`bench: no benchmark in scripts/bench matches ${filters.join(", ")}`);
  process.exit(64);
}
ensureBuilt("packages/p1");

const failed = [];
for (const file of files) {
  const run = spawnSync(process.execPath, [join(benchDir, file)], { cwd: root, stdio: "inherit" });
  if (run.status !== 0) failed.push(file);
  console.log("");
}
if (failed.length > 0) {
  console.error(`bench: failed: ${failed.join(", ")}`);
  process.exit(1);
}
