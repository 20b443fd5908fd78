/**
 * The exporter's own prom-client Registry (never the global one, so tests and benchmarks can build several):
 * scrape-time families for readings and ingest health, direct instrumentation for the exporter itself, and
 * prom-client's default process_/nodejs_ metrics.
 */
import { Counter, collectDefaultMetrics, type Registry } from "prom-client";
import { EXPORTER_FAMILIES, STATISTICS_FAMILIES } from "./catalogue.js";
import { electricityMetrics } from "./collectors/electricity.js";
import { ingestMetrics } from "./collectors/ingest.js";
import { mbusMetrics } from "./collectors/mbus.js";
import { readingInfoMetrics } from "./collectors/reading-info.js";
import type { IngestStatus } from "./ingest-status.js";
import type { ReadingCache } from "./reading-cache.js";
import { SnapshotMetric } from "./snapshot-metric.js";
import { SnapshotRegistry } from "./snapshot-registry.js";
import type { StatisticsCache } from "./statistics-cache.js";

export const REJECT_REASONS = ["too_large", "json", "schema", "topic"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const PROMTOOL_REJECTED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

export interface MetricsOptions {
  readonly cache: ReadingCache;
  readonly ingest: IngestStatus;
  /** The notifier's statistics (baseload); none: those families have no samples. */
  readonly statistics?: StatisticsCache;
  readonly powerClassWatts: number;
  /** process_/nodejs_ metrics (default true); the benchmark turns them off to time only our families. */
  readonly defaultMetrics?: boolean;
}

export interface ExporterMetrics {
  readonly registry: Registry;
  readonly rejected: Counter<"reason">;
}

export function createMetrics(options: MetricsOptions): ExporterMetrics {
  const registry = new SnapshotRegistry();
  const families = [
    ...electricityMetrics(options.cache),
    ...mbusMetrics(options.cache),
    ...readingInfoMetrics(options.cache, { powerClassWatts: options.powerClassWatts }),
    ...ingestMetrics(options.ingest),
    new SnapshotMetric(STATISTICS_FAMILIES.baseload, (sink) => {
      for (const [meter, w] of options.statistics?.lastDayBaseloads() ?? []) sink({ meter }, w);
    }),
  ];
  for (const m of families) m.register(registry);

  // The exporter's own counter is ordinary direct instrumentation (writing_exporters.md allows it).
  const rejected = new Counter({
    name: EXPORTER_FAMILIES.rejected.name,
    help: EXPORTER_FAMILIES.rejected.help,
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  // Every reason starts at 0, so rate() sees the first rejection (a series that appears at 1 has no increase).
  for (const reason of REJECT_REASONS) rejected.inc({ reason }, 0);
  new SnapshotMetric(EXPORTER_FAMILIES.meters, (sink) => sink({}, options.cache.fresh().length)).register(registry);

  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
    // prom-client exports these gauges with a `_total` suffix, which `promtool check metrics` rejects; the same
    // numbers stay available by type in nodejs_active_handles / nodejs_active_requests / nodejs_active_resources.
    for (const name of PROMTOOL_REJECTED_DEFAULTS) registry.removeSingleMetric(name);
  }
  return { registry, rejected };
}
