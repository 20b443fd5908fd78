#!/usr/bin/env node
/**
 * `npm run bench:stack`: a Pi's budget, measured in containers. Brings docker-compose.yml up with the demo and notify
 * profiles (without Grafana, which has no stand-in here), lets the simulated meter run at its own pace (one telegram
 * every 10 s) for --minutes, then replays one simulated day as fast as the broker takes it, and prints per container:
 * cgroup memory after the run and after the replay against its mem_limit, and the bytes it writes to disk, extrapolated
 * to a day from the run at the meter's pace (the process's write_bytes from /proc/<pid>/io, which counts page-cache
 * writes when they are made, plus the growth of its json-file log, which dockerd writes to the same disk).
 *
 *   npm run bench:stack -- [--minutes 10] [--build]    (root, a Docker engine, images from `make images`)
 *
 * --build first removes smarty's images and the build cache's layers, then builds every image as the first
 * `docker compose up` on a Pi does, printing the time and the peak memory of the build steps' containers.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./demo-support.mjs";

const run = promisify(execFile);
const args = process.argv.slice(2);
const minutes = Number(args[args.indexOf("--minutes") + 1]) || 10;
const SERVICES = ["mosquitto", "simulator", "ingest-demo", "exporter", "display", "prometheus", "redis", "notifier"];
const DEFAULT_SET = ["mosquitto", "ingest-demo", "exporter", "display", "prometheus"];
const NOTIFY_SET = ["redis", "notifier"];
const NODE_SERVICES = ["ingest-demo", "exporter", "display", "notifier"];
const MIB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), "smarty-bench-stack-"));
const project = `smarty-bench-${randomBytes(3).toString("hex")}`;
const env = { ...process.env, DOCKER_BUILDKIT: "0", COMPOSE_DOCKER_CLI_BUILD: "0" };

const log = (m) => process.stderr.write(`bench-stack: ${m}\n`);
const compose = (...a) =>
  run(
    "docker-compose",
    [
      "--project-directory",
      ROOT,
      "-p",
      project,
      "--env-file",
      join(work, ".env"),
      "--profile",
      "demo",
      "--profile",
      "notify",
      ...a,
    ],
    { cwd: ROOT, env, maxBuffer: 64 * MIB, timeout: 3600_000 },
  );
const docker = async (...a) => (await run("docker", a, { maxBuffer: 64 * MIB })).stdout;

async function containers() {
  const ids = (await docker("ps", "-q", "--filter", `label=com.docker.compose.project=${project}`))
    .split("\n")
    .filter(Boolean);
  const all = JSON.parse(await docker("inspect", ...ids));
  return new Map(all.map((c) => [c.Config.Labels["com.docker.compose.service"], c]));
}

/** cgroup v1 or v2 memory in use of a container, in bytes. */
function cgroupMemory(id) {
  for (const f of [
    `/sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.current`,
  ]) {
    if (existsSync(f)) return Number(readFileSync(f, "utf8"));
  }
  return Number.NaN;
}

function writeBytes(pid) {
  const m = /^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
  return m ? Number(m[1]) : Number.NaN;
}

/** Bytes written so far by each container: its main process plus its log file. */
async function diskSnapshot() {
  const out = new Map();
  for (const [service, c] of await containers()) {
    const logSize = c.LogPath && existsSync(c.LogPath) ? statSync(c.LogPath).size : 0;
    out.set(service, { process: writeBytes(c.State.Pid), log: logSize, at: Date.now() });
  }
  return out;
}

async function memorySnapshot() {
  const out = new Map();
  for (const [service, c] of await containers())
    out.set(service, { used: cgroupMemory(c.Id), limit: c.HostConfig.Memory });
  return out;
}

async function waitHealthy() {
  for (let i = 0; i < 120; i++) {
    const all = [...(await containers()).values()];
    if (all.length >= SERVICES.length && all.every((c) => c.State.Health?.Status === "healthy")) return;
    await new Promise((r) => setTimeout(r, 3000));
  }
  throw new Error("the stack did not turn healthy within 6 minutes");
}

/** Removes smarty's images and dangling layers, then builds all of them, sampling the build containers' memory. */
async function firstBuild() {
  const ours = (await docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}"))
    .split("\n")
    .filter((n) => /\/smarty-[a-z]+:/.test(n));
  if (ours.length > 0) await docker("image", "rm", "-f", ...ours);
  await docker("image", "prune", "-f");
  let peak = 0;
  let peakStep = "";
  // Resident memory of each build step's container (cgroup v1 memory.stat total_rss): the page cache that npm and
  // tsc fill is counted in the cgroup's usage too, but the kernel reclaims it, so it cannot run a Pi out of memory.
  const sampler = setInterval(() => {
    const dir = "/sys/fs/cgroup/memory/docker";
    if (!existsSync(dir)) return;
    for (const id of readdirSync(dir)) {
      try {
        const rss = Number(/^total_rss (\d+)$/m.exec(readFileSync(join(dir, id, "memory.stat"), "utf8"))?.[1] ?? 0);
        if (rss > peak) [peak, peakStep] = [rss, id.slice(0, 12)];
      } catch {}
    }
  }, 200);
  const start = Date.now();
  await compose("build");
  clearInterval(sampler);
  return { seconds: (Date.now() - start) / 1000, peak, peakStep };
}

async function replayDay() {
  const file = join(work, "day.p1");
  const start = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
  const key = "000102030405060708090A0B0C0D0E0F";
  await run(
    process.execPath,
    [
      join(ROOT, "packages/cli/dist/main.js"),
      "simulate",
      "--key",
      key,
      "--count",
      "8640",
      "--speed",
      "max",
      "--start",
      start,
      "--meter-id",
      "BENCHREPLAY00001",
      "--out",
      file,
    ],
    { maxBuffer: 64 * MIB },
  );
  const net = `${project}_default`;
  const password = /^MQTT_INGEST_PASSWORD=(.*)$/m.exec(readFileSync(join(work, ".env"), "utf8"))?.[1];
  const image = (await containers()).get("simulator").Config.Image;
  const t0 = Date.now();
  await docker(
    "run",
    "--rm",
    "--network",
    net,
    "-v",
    `${file}:/replay/day.p1:ro`,
    "-e",
    "MQTT_USERNAME=ingest",
    "-e",
    `MQTT_PASSWORD=${password}`,
    image,
    "replay",
    "/replay/day.p1",
    "--mqtt",
    "mqtt://mosquitto:1883",
    "--key",
    key,
  );
  return (Date.now() - t0) / 1000;
}

const fmt = (b) => (Number.isFinite(b) ? `${(b / MIB).toFixed(1)}` : "?");

try {
  await run(process.execPath, [join(ROOT, "scripts/init-env.mjs"), join(work, ".env")]);
  writeFileSync(
    join(work, ".env"),
    `${readFileSync(join(work, ".env"), "utf8")}\nCOMPOSE_PROFILES=demo,notify\nMQTT_HOST_PORT=0\nDISPLAY_HOST_PORT=0\nPROMETHEUS_HOST_PORT=0\n`,
  );
  let build;
  if (args.includes("--build")) {
    log("first build of every image (as on a Pi's first docker compose up)");
    build = await firstBuild();
  } else {
    log("building the images of this checkout (cached layers are reused)");
    await compose("build");
  }
  log(`starting ${SERVICES.join(", ")}`);
  await compose("up", "-d", ...SERVICES);
  await waitHealthy();
  const d0 = await diskSnapshot();
  log(`running at the meter's pace for ${minutes} min`);
  await new Promise((r) => setTimeout(r, minutes * 60_000));
  const d1 = await diskSnapshot();
  const m1 = await memorySnapshot();
  log("replaying one simulated day (8640 frames) as fast as the broker takes it");
  const replaySeconds = await replayDay();
  await new Promise((r) => setTimeout(r, 30_000));
  const m2 = await memorySnapshot();
  const rows = SERVICES.map((s) => {
    const a = d0.get(s);
    const b = d1.get(s);
    const perDay = (x) => (x * 86_400_000) / (b.at - a.at);
    return {
      s,
      mem: m1.get(s)?.used,
      replay: m2.get(s)?.used,
      limit: m1.get(s)?.limit,
      proc: perDay(b.process - a.process),
      log: perDay(b.log - a.log),
    };
  });
  const sum = (set, k) => rows.filter((r) => set.includes(r.s)).reduce((t, r) => t + (r[k] ?? 0), 0);
  const lines = [
    `| container | memory after ${minutes} min (MiB) | after a one-day replay (MiB) | mem_limit (MiB) | disk writes/day: process (MB) | log (MB) |`,
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.s} | ${fmt(r.mem)} | ${fmt(r.replay)} | ${fmt(r.limit)} | ${(r.proc / 1e6).toFixed(2)} | ${(r.log / 1e6).toFixed(2)} |`,
    ),
    `| default stack (${DEFAULT_SET.join(", ")}) | ${fmt(sum(DEFAULT_SET, "mem"))} | ${fmt(sum(DEFAULT_SET, "replay"))} | | | |`,
    `| notify profile (${NOTIFY_SET.join(", ")}) | ${fmt(sum(NOTIFY_SET, "mem"))} | ${fmt(sum(NOTIFY_SET, "replay"))} | | | |`,
    `| all containers, disk writes/day | | | | ${(sum(SERVICES, "proc") / 1e6).toFixed(2)} | ${(sum(SERVICES, "log") / 1e6).toFixed(2)} |`,
  ];
  const goals = [
    ...NODE_SERVICES.map((s) => [
      `${s} <= 60 MiB`,
      Math.max(rows.find((r) => r.s === s).mem, rows.find((r) => r.s === s).replay) <= 60 * MIB,
    ]),
    ["default stack <= 350 MiB", Math.max(sum(DEFAULT_SET, "mem"), sum(DEFAULT_SET, "replay")) <= 350 * MIB],
    ["notify profile <= 100 MiB more", Math.max(sum(NOTIFY_SET, "mem"), sum(NOTIFY_SET, "replay")) <= 100 * MIB],
    ["whole stack writes <= 20 MB/day", sum(SERVICES, "proc") + sum(SERVICES, "log") <= 20e6],
  ];
  process.stdout.write(`\n${lines.join("\n")}\n\none-day replay: ${replaySeconds.toFixed(1)} s\n`);
  if (build)
    process.stdout.write(
      `first build: ${build.seconds.toFixed(0)} s, peak resident memory of a build step ${fmt(build.peak)} MiB\n`,
    );
  process.stdout.write(`${goals.map(([g, ok]) => `${ok ? "met    " : "NOT MET"}  ${g}`).join("\n")}\n`);
} finally {
  await compose("down", "-v", "--remove-orphans").catch((e) => log(`down failed: ${e.message}`));
  rmSync(work, { recursive: true, force: true });
}
