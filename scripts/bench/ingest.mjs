/**
 * Ingest benchmark (npm run bench): real mosquitto, a real pty (socat), realistic simulated Smarty frames
 * (@smarty/simulator), and the service run from its build as its own process, as in production.
 *
 * 0. RSS of the idle service: the floor set by Node and the dependencies.
 * 1. Latency: last byte written to the pty → reading message at an MQTT subscriber, p50/p99 over 1 000 frames
 *    (one frame in flight at a time). Target p99 < 5 ms.
 * 2. A one-day capture (8 640 encrypted frames) replayed by the service (`SMARTY_SOURCE=file://…?speed=max`, state
 *    topics on) into mosquitto, first → last reading at the subscriber, and the service's RSS right after.
 *    Targets: < 2 s, RSS < 60 MB.
 * 3. The same capture through `smarty replay` (readings only), run from the CLI build, with its peak RSS.
 *    Target < 2 s.
 *
 * INGEST_BENCH_PARTS=idle,latency,service,replay picks parts; INGEST_BENCH_NODE_FLAGS passes V8 flags to the
 * service (e.g. "--max-old-space-size=64"). Prints one line per figure and a JSON summary.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "..", "..");

// Workspace packages resolve to their TypeScript sources under the "source" condition; re-run under tsx.
if (!process.execArgv.includes("--conditions=source")) {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", here, ...process.argv.slice(2)], {
    stdio: "inherit",
    cwd: root,
  });
  process.exit(r.status ?? 1);
}

const DAY_FRAMES = 8640;
const LATENCY_FRAMES = 1000;
const WARMUP = 50;
const KEY_HEX = "000102030405060708090A0B0C0D0E0F";
const KEY = Buffer.from(KEY_HEX, "hex");

const { MeterSimulator } = await import("@smarty/simulator");
const { startMosquitto, startPtyPair, tempDir, waitFor } = await import("@smarty/testkit");
const mqtt = (await import("mqtt")).default;

// Two shared cores: the load average says how much the figures below can be trusted.
console.log(
  `node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
const parts = new Set((process.env.INGEST_BENCH_PARTS ?? "idle,latency,service,replay").split(","));
const v8Flags = (process.env.INGEST_BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const results = {};
const broker = await startMosquitto();
const work = tempDir("bench-ingest");
try {
  // The service and the CLI run from their builds, as in production.
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-b", "packages/cli/tsconfig.build.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (parts.has("idle")) await idle();
  if (parts.has("latency")) await latency();
  if (parts.has("service") || parts.has("replay")) {
    const day = Buffer.concat(frames(DAY_FRAMES, 11));
    const capture = join(work.path, "day.bin");
    writeFileSync(capture, day);
    results.capture_bytes = day.length;
    if (parts.has("service")) await service(capture);
    if (parts.has("replay")) await replay(capture);
  }
} finally {
  await broker.stop();
  work.remove();
}
console.log(JSON.stringify({ bench: "ingest", node_flags: v8Flags.join(" "), ...results }));

function frames(n, seed) {
  const sim = new MeterSimulator({ seed, start: Date.UTC(2026, 0, 15), key: KEY, frameCounterStart: 1 });
  return Array.from({ length: n }, () => sim.next().frame);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function subscriber(filter) {
  const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
  client.on("error", () => undefined);
  await client.subscribeAsync(filter, { qos: 1 });
  return client;
}

/** The built service as its own process. */
function runService(env) {
  return spawn(process.execPath, [...v8Flags, join(root, "services/ingest/dist/main.js")], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      MQTT_URL: broker.url,
      SMARTY_KEY: KEY_HEX,
      INGEST_HTTP_PORT: "0",
      LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

async function stopService(child) {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

/** A field of /proc/<pid>/status in MB. */
function vm(pid, field) {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return +(Number(m?.[1] ?? 0) / 1024).toFixed(1);
}

async function idle() {
  const child = runService({ MQTT_URL: "mqtt://127.0.0.1:1", SMARTY_SOURCE: "tcp://127.0.0.1:1" });
  await new Promise((r) => setTimeout(r, 2000));
  results.idle_rss_mb = vm(child.pid, "VmRSS");
  results.idle_rss_anon_mb = vm(child.pid, "RssAnon");
  await stopService(child);
  console.log(`ingest RSS idle: ${results.idle_rss_mb} MB (anonymous ${results.idle_rss_anon_mb} MB)`);
}

async function latency() {
  const pty = await startPtyPair();
  const sub = await subscriber("smarty/+/reading");
  let arrived = 0;
  let onArrive = () => undefined;
  sub.on("message", (_t, _p, packet) => {
    if (packet.retain) return;
    arrived++;
    onArrive();
  });
  const child = runService({ SMARTY_SOURCE: `serial://${pty.device}` });
  const all = frames(1 + WARMUP + LATENCY_FRAMES, 7);
  const fd = openSync(pty.peer, "w");
  // Ready when a first frame comes through (the port may open after the first write).
  await waitFor(
    () => {
      if (arrived === 0) writeSync(fd, all[0]);
      return arrived > 0;
    },
    20_000,
    "service ready",
    250,
  );
  const before0 = arrived;
  const lat = [];
  for (let i = 1; i < all.length; i++) {
    const expected = before0 + i;
    const got = new Promise((resolve) => {
      onArrive = () => {
        if (arrived >= expected) resolve();
      };
    });
    // writeSync returns once the last byte is in the pty: that instant is t0.
    writeSync(fd, all[i]);
    const t0 = performance.now();
    if (arrived < expected) await got;
    if (i > WARMUP) lat.push(performance.now() - t0);
  }
  closeSync(fd);
  lat.sort((a, b) => a - b);
  results.latency_frames = lat.length;
  results.latency_p50_ms = +percentile(lat, 50).toFixed(3);
  results.latency_p99_ms = +percentile(lat, 99).toFixed(3);
  results.latency_max_ms = +lat.at(-1).toFixed(3);
  await stopService(child);
  await sub.endAsync();
  await pty.stop();
  console.log(
    `ingest latency pty→subscriber over ${lat.length} frames: p50 ${results.latency_p50_ms} ms, p99 ${results.latency_p99_ms} ms (target < 5 ms)`,
  );
}

async function service(capture) {
  const sub = await subscriber("bench/+/reading");
  let first = 0;
  let last = 0;
  let count = 0;
  sub.on("message", (_t, _p, packet) => {
    if (packet.retain) return;
    const now = performance.now();
    if (count === 0) first = now;
    last = now;
    count++;
  });
  const started = performance.now();
  const child = runService({ MQTT_BASE_TOPIC: "bench", SMARTY_SOURCE: `file://${capture}?speed=max` });
  await waitFor(() => count >= DAY_FRAMES, 120_000, "one day of readings", 5);
  results.service_rss_mb = vm(child.pid, "VmRSS");
  results.service_rss_anon_mb = vm(child.pid, "RssAnon");
  results.service_peak_rss_mb = vm(child.pid, "VmHWM");
  await stopService(child);
  results.service_replay_s = +((last - first) / 1000).toFixed(3);
  results.service_replay_incl_start_s = +((last - started) / 1000).toFixed(3);
  await sub.endAsync();
  console.log(
    `ingest service one-day replay (${DAY_FRAMES} frames, with state topics): ${results.service_replay_s} s first→last reading (${results.service_replay_incl_start_s} s incl. process start)`,
  );
  console.log(
    `ingest RSS after the replay: ${results.service_rss_mb} MB (anonymous ${results.service_rss_anon_mb} MB, peak ${results.service_peak_rss_mb} MB) (target < 60 MB)`,
  );
}

async function replay(capture) {
  const sub = await subscriber("replay/+/reading");
  let got = 0;
  sub.on("message", (_t, _p, packet) => {
    if (!packet.retain) got++;
  });
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...v8Flags,
      join(root, "packages/cli/bin/smarty.js"),
      "replay",
      capture,
      "--mqtt",
      broker.url,
      "--base-topic",
      "replay",
    ],
    { cwd: root, env: { PATH: process.env.PATH, SMARTY_KEY: KEY_HEX }, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout.on("data", (b) => {
    out += b.toString();
  });
  // VmHWM only grows: the last sample before the exit is the peak.
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, vm(child.pid, "VmHWM"));
    } catch {
      // the process has just exited
    }
  }, 20);
  const code = await new Promise((r) => child.once("exit", r));
  clearInterval(sampler);
  await waitFor(() => got >= DAY_FRAMES, 60_000, "replayed readings", 5);
  results.replay_s = +((performance.now() - t0) / 1000).toFixed(3);
  results.replay_peak_rss_mb = peak;
  results.replay_exit = code;
  await sub.endAsync();
  console.log(`${out.trim()}`);
  console.log(
    `smarty replay, one day (${got} readings) into mosquitto: ${results.replay_s} s including process start (target < 2 s), peak RSS ${peak} MB (target < 60 MB)`,
  );
}
