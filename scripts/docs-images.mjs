#!/usr/bin/env node
/**
 * `npm run docs:images`: regenerates the display screenshots in docs/images/ (README, docs/display.md,
 * docs/troubleshooting.md). It runs the display's browser test (real mosquitto and Debian's Chromium) with
 * SMARTY_SCREENSHOTS_DIR pointing there; a plain test run writes its screenshots to a temporary folder instead.
 * Review the pictures with `git diff --stat docs/images` before committing them.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TEST = "services/display/test/integration/browser.test.ts";
const images = join(ROOT, "docs", "images");

const result = spawnSync(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", TEST], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, SMARTY_SCREENSHOTS_DIR: images },
});
if (result.status === 0) process.stdout.write(`docs:images: screenshots written to ${images}\n`);
process.exit(result.status ?? 1);
