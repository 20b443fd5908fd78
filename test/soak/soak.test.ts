/**
 * The short soak for CI: two simulated days (the second is the day the clocks go forward) for three meters, one
 * fault of each kind, through the real services and daemons. `npm run soak` runs the month-long variant.
 * Needs the build (`npm run build`): the services run as processes from their dist/.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CI_SOAK } from "./options.js";
import { soak } from "./soak.js";

describe("soak with faults", () => {
  it("delivers every valid frame once and keeps statistics, alerts and reports exact", async () => {
    for (const svc of ["ingest", "exporter", "display", "notifier"]) {
      expect(existsSync(join(import.meta.dirname, "../../services", svc, "dist/main.js")), "npm run build").toBe(true);
    }
    const result = await soak(CI_SOAK);
    console.log(result.summary);
    expect(result.failures).toEqual([]);
  }, 240_000);
});
