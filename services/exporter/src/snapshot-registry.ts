/**
 * prom-client's Registry with one shortcut: a SnapshotMetric writes its own text (`render()`) instead of going
 * through prom-client's generic per-sample formatter, which builds, escapes and discards several objects per
 * sample and dominated the time of a 1 000-meter scrape (scripts/bench/exporter.mjs). Everything else, the order of
 * families, the process metrics, the exporter's own Counter and the content type, stays prom-client's.
 *
 * `getMetricsAsString` is the per-family hook of lib/registry.js (prom-client 15), not part of its typings. Should
 * a future version stop calling it, prom-client formats `get()` instead: the output is the same, only slower
 * (test/snapshot-metric.test.ts compares both paths).
 */
import { Registry } from "prom-client";
import { SnapshotMetric } from "./snapshot-metric.js";

type FamilyFormatter = (this: Registry, metric: unknown) => Promise<string>;
const prometheusFormat = (Registry.prototype as unknown as { getMetricsAsString: FamilyFormatter }).getMetricsAsString;

export class SnapshotRegistry extends Registry {
  getMetricsAsString(metric: unknown): Promise<string> {
    if (metric instanceof SnapshotMetric && this.contentType === Registry.PROMETHEUS_CONTENT_TYPE) {
      return Promise.resolve(metric.render());
    }
    return prometheusFormat.call(this, metric);
  }
}
