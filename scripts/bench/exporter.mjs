/**
 * Benchmark: render /metrics for 1 000 meters (target < 100 ms per scrape, issue 5).
 * Readings come from @smarty/simulator telegrams parsed by packages/p1, one meter each, all fresh.
 *
 *   npm run build && node scripts/bench/exporter.mjs
 *   node --conditions=source --import tsx scripts/bench/exporter.mjs     (from the sources, no build)
 *
 * Options: --meters N (default 1000), --runs N (default 30).
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { createMetrics, IngestStatus, ReadingCache } from "@smarty/exporter";
import { parseTelegram } from "@smarty/p1";
import { ManualClock } from "@smarty/service-kit";
import { MeterSimulator } from "@smarty/simulator";
import { Registry } from "prom-client";

const { values } = parseArgs({
  options: { meters: { type: "string", default: "1000" }, runs: { type: "string", default: "30" } },
});
const meters = Number(values.meters);
const runs = Number(values.runs);
const TARGET_MS = 100;

const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
const ingest = new IngestStatus();
for (let i = 0; i < meters; i++) {
  const meterId = `SAG${String(1030700000000 + i).padStart(13, "0")}`;
  const sim = new MeterSimulator({ seed: i + 1, start: clock.now(), meterId });
  cache.put(parseTelegram(sim.next().telegram), false, meterId);
}
// Our families only: prom-client's process metrics are the same at any meter count.
const { registry } = createMetrics({ cache, ingest, powerClassWatts: 7000, defaultMetrics: false });

// The same families through prom-client's generic formatter, for comparison with SnapshotRegistry's fast path.
const plain = new Registry();
for (const m of registry.getMetricsAsArray()) plain.registerMetric(m);

/** Median and p95 of `runs` renders, after a JIT warm-up; a new instant per scrape defeats the cache's memo. */
async function measure(reg) {
  for (let i = 0; i < 5; i++) await reg.metrics();
  const times = [];
  let text = "";
  for (let i = 0; i < runs; i++) {
    clock.advance(1);
    const t0 = performance.now();
    text = await reg.metrics();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))];
  return { median: at(0.5), p95: at(0.95), min: times[0], text };
}

const fast = await measure(registry);
const generic = await measure(plain);
if (fast.text !== generic.text) throw new Error("fast path and prom-client formatter disagree");
const series = fast.text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length;
const fmt = (n) => n.toFixed(1);
console.log(
  `exporter /metrics: ${meters} meters, ${series} series, ${(fast.text.length / 1024 / 1024).toFixed(2)} MiB per scrape`,
);
console.log(
  `render: median ${fmt(fast.median)} ms, p95 ${fmt(fast.p95)} ms, min ${fmt(fast.min)} ms over ${runs} runs ` +
    `(target < ${TARGET_MS} ms: ${fast.median < TARGET_MS ? "met" : "MISSED"}, ${fmt(fast.median / TARGET_MS)}× of budget)`,
);
console.log(
  `prom-client's generic formatter on the same families: median ${fmt(generic.median)} ms ` +
    `(${fmt(generic.median / fast.median)}× slower)`,
);
