/**
 * The broker-outage queue must fit the ingest container: docker-compose.yml gives ingest `mem_limit: 96m` and
 * NODE_OPTIONS `--max-semi-space-size=2 --max-old-space-size=48`. The probe runs under exactly those flags, in fake
 * time (no waiting), from the build as the container runs it (needs `npm run build`): 2160 frames are 6 hours of a Smarty meter (one frame per 10 s), and the overflow run pushes
 * far past what the default INGEST_QUEUE_BYTES holds, so the oldest readings must be dropped and the newest kept.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const PROBE = join(import.meta.dirname, "..", "helpers", "queue-memory-probe.mjs");
const INGEST_DIR = join(import.meta.dirname, "..", "..");
const HEAP_FLAGS = ["--max-semi-space-size=2", "--max-old-space-size=48", "--expose-gc"];
const MIB = 1024 * 1024;
const CONTAINER_LIMIT = 96 * MIB;
const OLD_SPACE = 48 * MIB;

interface Probe {
  frames: number;
  frames_ok: number;
  queue_length: number;
  queue_bytes: number;
  queue_bytes_limit: number;
  dropped: number;
  newest_time: number | null;
  last_time: number;
  rss: number;
  peak_rss: number;
  baseline_rss: number;
  heap_used: number;
  baseline_heap_used: number;
  peak_heap_used: number;
}

function probe(frames: number): Probe {
  const out = execFileSync(process.execPath, [...HEAP_FLAGS, PROBE, String(frames)], {
    encoding: "utf8",
    timeout: 120_000,
  });
  const result = JSON.parse(out.trim().split("\n").at(-1)!) as Probe;
  process.stdout.write(`queue memory probe: ${JSON.stringify(result)}\n`);
  return result;
}

function expectFitsContainer(r: Probe): void {
  expect(r.peak_rss).toBeLessThan(CONTAINER_LIMIT);
  // The live heap stays well below the old-space cap, and the queue's byte count is honest about what it holds.
  expect(r.heap_used).toBeLessThan(OLD_SPACE * 0.75);
  expect(r.heap_used - r.baseline_heap_used).toBeLessThan(r.queue_bytes * 1.3);
}

describe("publish queue memory under the compose heap flags", () => {
  beforeAll(() => {
    expect(existsSync(join(INGEST_DIR, "dist", "index.js")), "run `npm run build` first").toBe(true);
  });

  it("holds a 6-hour broker outage (2160 Lux frames) inside the container limit, losing nothing", () => {
    const r = probe(2160);
    expect(r.frames_ok).toBe(2160);
    expect(r.queue_length).toBe(2160);
    expect(r.dropped).toBe(0);
    expect(r.newest_time).toBe(r.last_time);
    expectFitsContainer(r);
  });

  it("drops the oldest past INGEST_QUEUE_BYTES, keeps the newest, and stays inside the container limit", () => {
    const r = probe(9000);
    expect(r.frames_ok).toBe(9000);
    expect(r.dropped).toBeGreaterThan(0);
    expect(r.queue_length + r.dropped).toBe(9000);
    expect(r.queue_bytes).toBeLessThanOrEqual(r.queue_bytes_limit);
    expect(r.newest_time).toBe(r.last_time);
    expectFitsContainer(r);
  });
});
