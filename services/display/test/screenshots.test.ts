import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { SCREENSHOTS_ENV, screenshotDir } from "./helpers/screenshots.js";

describe("where the browser test writes screenshots", () => {
  it("is a new temporary folder by default, never the tracked docs/images/, removed after the test", () => {
    const a = screenshotDir({});
    const b = screenshotDir({});
    expect(relative(tmpdir(), a.path).startsWith("..")).toBe(false);
    expect(a.path).not.toBe(b.path);
    expect(a.path).not.toContain(join("docs", "images"));
    a.cleanup();
    b.cleanup();
    expect(existsSync(a.path) || existsSync(b.path)).toBe(false);
  });

  it("is the folder named by SMARTY_SCREENSHOTS_DIR (npm run docs:images), created when missing and kept", () => {
    const base = mkdtempSync(join(tmpdir(), "smarty-screenshots-test-"));
    try {
      const dir = screenshotDir({ [SCREENSHOTS_ENV]: join(base, "images") });
      expect(dir.path).toBe(join(base, "images"));
      expect(existsSync(dir.path)).toBe(true);
      dir.cleanup();
      expect(existsSync(dir.path)).toBe(true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
