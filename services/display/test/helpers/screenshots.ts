/**
 * Where the browser test writes its screenshots: a fresh temporary folder, so a test run never rewrites the
 * tracked docs/images/. `npm run docs:images` (scripts/docs-images.mjs) names docs/images/ in
 * SMARTY_SCREENSHOTS_DIR to regenerate the README and docs pictures on purpose.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const SCREENSHOTS_ENV = "SMARTY_SCREENSHOTS_DIR";

export interface ScreenshotDir {
  readonly path: string;
  /** Removes a temporary folder; keeps a folder named by SMARTY_SCREENSHOTS_DIR. */
  cleanup(): void;
}

export function screenshotDir(env: Readonly<Record<string, string | undefined>> = process.env): ScreenshotDir {
  const chosen = env[SCREENSHOTS_ENV];
  if (chosen) {
    const path = resolve(chosen);
    mkdirSync(path, { recursive: true });
    return { path, cleanup: () => undefined };
  }
  const path = mkdtempSync(join(tmpdir(), "smarty-screenshots-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
