import { ManualClock } from "@smarty/service-kit";
import { type Metric, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { IngestStatus } from "../src/ingest-status.js";
import { createMetrics } from "../src/metrics-registry.js";
import { ReadingCache } from "../src/reading-cache.js";
import { SnapshotMetric, toBaseUnit } from "../src/snapshot-metric.js";
import { simulatedReading } from "./simulated-reading.js";

describe("SnapshotMetric", () => {
  it("renders exactly what prom-client's own formatter writes, escapes included", async () => {
    const metric = new SnapshotMetric(
      { name: "smarty_test_info", help: 'Help with \\ and "quotes"\nand a newline.', type: "gauge" },
      (sink) => {
        sink({ meter: "A", message: 'say "hi"\\now\nplease' }, 1);
        sink({}, 2.5);
        sink({ meter: "B" }, Number.NaN);
        sink({ meter: "C" }, 92_350_800);
      },
    );
    const plain = new Registry();
    metric.register(plain);
    expect(metric.render()).toBe((await plain.metrics()).trimEnd());
  });

  it("gives the same /metrics through the fast path as through prom-client's formatter", async () => {
    const clock = new ManualClock();
    const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
    for (const id of ["M1", "M2"]) {
      cache.put(simulatedReading({ meterId: id, timeMs: clock.now(), elapsedS: 7, longMessage: 'a "b"' }), false, id);
    }
    const { registry } = createMetrics({
      cache,
      ingest: new IngestStatus(),
      powerClassWatts: 3000,
      defaultMetrics: false,
    });
    const plain = new Registry();
    for (const m of registry.getMetricsAsArray()) plain.registerMetric(m as unknown as Metric);
    expect(await registry.metrics()).toBe(await plain.metrics());
  });

  it("converts to base units without float noise", () => {
    expect(toBaseUnit(2130.115, 3_600_000)).toBe(7_668_414_000);
    expect(toBaseUnit(25.653, 3_600_000)).toBe(92_350_800);
    expect(toBaseUnit(0.006, 1)).toBe(0.006);
    expect(toBaseUnit(12.3456789, 1000)).toBe(12_345.6789);
    expect(toBaseUnit(0.0001, 1000)).toBe(0.1);
  });
});
