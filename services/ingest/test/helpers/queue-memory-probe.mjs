/**
 * Child process of queue-memory.test.ts, run from the build (as the container runs it) under docker-compose.yml's
 * heap flags for ingest: a broker outage at the meter's pace, in fake time. Realistic encrypted Lux frames
 * (simulator, ~1.2 kB) go through the real pipeline into the real publisher while the broker is away; at the end the
 * process reports its memory and what the queue holds. argv: <frames>. Prints one JSON line.
 */
import { EventEmitter } from "node:events";
import { loadIngestConfig } from "@smarty/ingest";
import { IngestMonitor, Pipeline, ReadingPublisher } from "@smarty/ingest-core";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { MeterSimulator } from "@smarty/simulator";

class AbsentBroker extends EventEmitter {
  connected = false;
  publish() {
    return Promise.reject(new Error("broker away"));
  }
}

const frames = Number(process.argv[2]);
const KEY_HEX = "0123456789abcdef0123456789abcdef";
const key = Buffer.from(KEY_HEX, "hex");
const config = loadIngestConfig({ SMARTY_KEY: KEY_HEX });
const clock = new ManualClock(Date.UTC(2026, 5, 1));
const logger = silentLogger();
const monitor = new IngestMonitor({ clock, logger });
const publisher = new ReadingPublisher({
  mqtt: new AbsentBroker(),
  baseTopic: "smarty",
  instance: "main",
  clock,
  logger,
  queueLimit: config.INGEST_QUEUE_LIMIT,
  queueBytes: config.INGEST_QUEUE_BYTES,
  stateRefreshMs: config.SMARTY_STATE_REFRESH,
  shutdownTimeoutMs: config.INGEST_SHUTDOWN_TIMEOUT,
});
const pipeline = new Pipeline({ decoder: { key }, monitor, clock, logger, onReading: (r) => publisher.publish(r) });
const sim = new MeterSimulator({ seed: 7, start: clock.now(), key, profile: "three-phase" });
monitor.sourceOpened();
const gc = globalThis.gc ?? (() => undefined);
let lastTime = 0;
let peakHeap = 0;
let peakRss = 0;
let baseline = process.memoryUsage();
for (let i = 0; i < frames; i++) {
  const f = sim.next();
  lastTime = f.time;
  pipeline.push(f.frame);
  clock.advance(10_000);
  if (i === 9) {
    // Everything is loaded and warm: what grows from here is the queue.
    gc();
    baseline = process.memoryUsage();
  }
  if (i % 50 === 0) {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }
}
gc();
const mem = process.memoryUsage();
const newest = publisher.queue.peekNewest();
process.stdout.write(
  `${JSON.stringify({
    frames,
    frames_ok: monitor.counters.frames_ok,
    queue_length: publisher.queue.length,
    queue_bytes: publisher.queue.bytes,
    queue_bytes_limit: config.INGEST_QUEUE_BYTES,
    dropped: publisher.queue.dropped,
    newest_time: newest ? Date.parse(JSON.parse(newest.json).time) : null,
    last_time: lastTime,
    rss: mem.rss,
    peak_rss: Math.max(peakRss, mem.rss),
    baseline_rss: baseline.rss,
    heap_used: mem.heapUsed,
    baseline_heap_used: baseline.heapUsed,
    peak_heap_used: Math.max(peakHeap, mem.heapUsed),
  })}\n`,
);
