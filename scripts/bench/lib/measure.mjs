/**
 * Measuring helpers shared by the benchmarks in scripts/bench/*.mjs.
 *
 * Figures are CPU time of this process, not wall time: the machines this runs on (CI, a Raspberry Pi, a shared
 * dev VM) are often busy, and CPU time stays comparable while wall time does not. Every case runs in rounds,
 * round-robin with the other cases of the same call, so a burst of load hits all of them alike; the median round
 * is the figure, the best round is shown next to it.
 */
import { cpus, loadavg } from "node:os";

/** Keeps results alive so the JIT cannot drop the work being measured. */
let sink;

function cpuMicros(fn, iterations) {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) sink = fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/**
 * Measures each case in `cases` ({name: () => unknown}); returns {name: {perSecond, bestPerSecond, micros}}.
 * @param {Record<string, () => unknown>} cases
 * @param {{rounds?: number, roundMs?: number, warmupMs?: number}} [options]
 */
export function measure(cases, { rounds = 15, roundMs = 40, warmupMs = 300 } = {}) {
  const entries = Object.entries(cases);
  const plan = entries.map(([name, fn]) => {
    // Warm up (JIT) and size a round to about roundMs of CPU time.
    let iterations = 1;
    let spent = 0;
    while (spent < warmupMs * 1000) {
      const us = cpuMicros(fn, iterations);
      spent += us;
      if (us < roundMs * 250) iterations *= 2;
    }
    const perOp = spent > 0 ? cpuMicros(fn, iterations) / iterations : 1;
    return { name, fn, iterations: Math.max(1, Math.round((roundMs * 1000) / Math.max(perOp, 0.001))), samples: [] };
  });
  for (let r = 0; r < rounds; r++) {
    for (const p of plan) p.samples.push(cpuMicros(p.fn, p.iterations) / p.iterations);
  }
  const out = {};
  for (const p of plan) {
    const sorted = [...p.samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    out[p.name] = { micros: median, perSecond: 1e6 / median, bestPerSecond: 1e6 / sorted[0] };
  }
  if (sink === Symbol.for("never")) console.log(sink);
  return out;
}

/** Prints rows as an aligned text table; numbers are right-aligned. */
export function printTable(columns, rows) {
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? "")));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values) =>
    values.map((v, i) => (/^[\d.,×x -]+$/.test(v) && i > 0 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join("  ");
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells) console.log(line(r));
}

/** 123456.7 → "123 457" (thin grouping that survives copy-paste into Markdown). */
export function formatRate(n) {
  return Math.round(n).toLocaleString("en-US").replaceAll(",", " ");
}

/** One line describing where the numbers come from. */
export function environmentLine() {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `node ${process.version}, ${cpu}, ${cpus().length} cores, load average ${load}`;
}
