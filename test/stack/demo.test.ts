/**
 * `make demo` as a user runs it: scripts/demo.mjs starts the embedded broker, the simulator, the built services,
 * the notifier on its own redis-server (and Prometheus), prints its URLs, serves a live reading on each, fills the
 * page's Today figures from the notifier's statistics, and stops everything on Ctrl-C (SIGINT) with exit code 0,
 * leaving no process behind. `DEMO_HISTORY` first replays a simulated past. Needs the build (`make test` builds
 * first) and redis-server.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { type Statistics, topics } from "@smarty/contracts";
import { waitFor, waitForPort } from "@smarty/testkit";
import mqtt from "mqtt";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, repoPath } from "./helpers/repo.js";

const BUILT = ["packages/cli", "services/ingest", "services/exporter", "services/display", "services/notifier"];
const METER = "SAG1030700012701";

interface Demo {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
  url(label: string): string;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function startDemo(env: Record<string, string> = {}, args: string[] = []): Demo {
  const unbuilt = BUILT.filter((d) => !existsSync(repoPath(d, "dist", "main.js")));
  expect(unbuilt, "run `npm run build` first").toEqual([]);
  const ports = ["mqtt", "simulator", "ingest", "metrics", "display", "prometheus"].flatMap((p) => [
    `--${p}-port`,
    "0",
  ]);
  const child = spawn(process.execPath, ["scripts/demo.mjs", ...ports, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => output,
    url(label) {
      const m = new RegExp(`${label}\\s+(\\S+://\\S+)`).exec(output);
      if (!m) throw new Error(`no ${label} URL in the demo output:\n${output}`);
      return m[1] as string;
    },
  };
}

/** Processes whose command line names the demo's temp folder (redis-server has `--dir <it>/redis`). */
function processesIn(folder: string): string[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        return cmd.includes(folder) ? [`${pid}: ${cmd}`] : [];
      } catch {
        return [];
      }
    });
}

async function stopDemo(demo: Demo, urls: readonly string[]): Promise<void> {
  const folder = /\/smarty-demo-[A-Za-z0-9]+/.exec(demo.output())?.[0];
  demo.child.kill("SIGINT");
  expect(await demo.exited).toBe(0);
  expect(demo.output()).toContain("[demo] stopped");
  for (const u of urls) await expect(waitForPort(Number(new URL(u).port), 500)).rejects.toThrow(/timed out/);
  if (folder) expect(processesIn(folder)).toEqual([]);
}

async function todayImport(display: string): Promise<number | null> {
  const r = await fetch(new URL(`api/meters/${METER}/now`, display)).catch(() => undefined);
  if (!r?.ok) return null;
  const view = (await r.json()) as { today: { import_kwh: number | null; cost: number | null } | null };
  return view.today?.import_kwh ?? null;
}

/** The retained statistics of the demo meter once `accept` takes them. */
async function statistics(brokerUrl: string, accept: (s: Statistics) => boolean): Promise<Statistics> {
  const client = await mqtt.connectAsync(brokerUrl, { protocolVersion: 4 });
  try {
    return await new Promise<Statistics>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no statistics of the demo meter in 90 s")), 90_000);
      client.on("message", (_t, payload) => {
        const s = JSON.parse(payload.toString()) as Statistics;
        if (accept(s)) {
          clearTimeout(timer);
          resolve(s);
        }
      });
      void client.subscribeAsync(topics.statistics("smarty", METER));
    });
  } finally {
    await client.endAsync();
  }
}

describe("make demo (scripts/demo.mjs)", () => {
  it("serves a live reading on the display, /metrics and Prometheus, fills Today from the notifier, and stops cleanly on Ctrl-C", async () => {
    const demo = startDemo();
    await waitFor(() => demo.output().includes("Press Ctrl-C to stop."), 90_000, "the demo banner");
    const display = demo.url("In Home Display");
    const metrics = demo.url("Metrics");
    const prometheus = demo.url("Prometheus");
    expect(demo.output()).toMatch(/Notifier\s+statistics and alerts \(Redis on 127\.0\.0\.1:\d+/);

    const meters = (await (await fetch(new URL("api/meters", display))).json()) as { meters: { id: string }[] };
    expect(meters.meters.map((m) => m.id)).toEqual([METER]);
    const text = await (await fetch(metrics)).text();
    expect(text).toMatch(/^smarty_power_imported_watts\{meter="SAG1030700012701"\} \d+/m);
    await waitFor(
      async () => {
        const r = await fetch(new URL('api/v1/query?query=up{job="exporter"}', prometheus));
        const body = (await r.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result[0]?.value[1] === "1";
      },
      30_000,
      "Prometheus scraping the exporter",
    );
    // Two readings 10 s apart: the notifier's day has energy, and the page's Today shows it with a cost.
    await waitFor(async () => ((await todayImport(display)) ?? 0) > 0, 60_000, "Today's energy on the page");
    const stats = await statistics(demo.url("MQTT broker"), (s) => (s.current.day.energy_import_kwh ?? 0) > 0);
    expect(stats.current.day.cost?.currency).toBe("EUR");

    const redis = /Redis on (127\.0\.0\.1:\d+)/.exec(demo.output())?.[1] as string;
    await stopDemo(demo, [display, metrics, `redis://${redis}`]);
  });

  it("with DEMO_HISTORY replays a simulated past first: closed days with energy and a baseload", async () => {
    const demo = startDemo({ DEMO_HISTORY: "2d" }, ["--no-prometheus"]);
    await waitFor(() => demo.output().includes("Press Ctrl-C to stop."), 120_000, "the demo banner");
    expect(demo.output()).toMatch(/History\s+2d replayed in \d+ s/);
    expect(demo.output()).toMatch(/replayed 2880 readings from \S+history\.bin .* \(0 frames rejected/);
    const display = demo.url("In Home Display");
    // Statistics published during the replay have a replayed day as "current"; wait for the real today.
    const today = (s: Statistics) => Date.parse(s.current.day.end) > Date.now();
    const stats = await statistics(demo.url("MQTT broker"), (s) => today(s) && s.previous.day !== null);
    const yesterday = stats.previous.day;
    expect(yesterday?.complete).toBe(true);
    expect(yesterday?.energy_import_kwh ?? 0).toBeGreaterThan(0);
    expect(yesterday?.readings).toBeGreaterThanOrEqual(1380); // one a minute, the day's first may be interpolated
    expect(yesterday?.baseload_w ?? 0).toBeGreaterThan(0);
    expect(stats.current.day.energy_import_kwh ?? 0).toBeGreaterThan(0);
    await waitFor(async () => ((await todayImport(display)) ?? 0) > 0, 30_000, "Today's energy on the page");
    await stopDemo(demo, [display, demo.url("Metrics")]);
  });
});
