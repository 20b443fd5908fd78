/**
 * The rule file's old prices still work for a release, and the notifier says so once in its log at start, where
 * the person upgrading looks. Building the notifier connects to nothing (components start later).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { tempDir } from "@smarty/testkit";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadNotifierConfig } from "../src/config.js";
import { createNotifier } from "../src/notifier.js";

const dir = tempDir("notifier-price");
afterAll(() => dir.remove());

async function warningsOf(yaml: string, env: Record<string, string> = {}) {
  const file = join(dir.path, `${Math.random()}.yaml`);
  writeFileSync(file, yaml);
  const lines: { level: number; msg: string; setting?: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const notifier = await createNotifier(loadNotifierConfig({ NOTIFIER_CONFIG: file, ...env }), {
    logger: pino({ level: "info" }, stream),
  });
  return { notifier, warnings: lines.filter((l) => l.level === 40 && l.setting === "NOTIFIER_CONFIG") };
}

describe("notifier price deprecation", () => {
  it("logs one warning per old price in the rule file and still uses it", async () => {
    const { notifier, warnings } = await warningsOf("tariff: {import_per_kwh: 0.25, export_credit_per_kwh: 0.08}");
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringContaining("tariff.import_per_kwh is deprecated: set SMARTY_PRICE_PER_KWH"),
      expect.stringContaining("tariff.export_credit_per_kwh is deprecated: set SMARTY_EXPORT_PRICE_PER_KWH"),
    ]);
    expect(notifier.stats.tariff?.import_per_kwh).toBe(0.25);
  });

  it("logs nothing when the price comes from SMARTY_PRICE_PER_KWH", async () => {
    const { notifier, warnings } = await warningsOf("tariff: {monthly_fee: 7.5}", { SMARTY_PRICE_PER_KWH: "0.2921" });
    expect(warnings).toEqual([]);
    expect(notifier.stats.tariff).toMatchObject({ import_per_kwh: 0.2921, monthly_fee: 7.5 });
  });
});
