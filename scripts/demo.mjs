#!/usr/bin/env node
/**
 * `make demo`: the product on this machine with Node alone, no Docker and no meter. An embedded MQTT 3.1.1 broker
 * (aedes; skipped when MQTT_URL names a broker), the simulator serving encrypted frames over TCP like a ser2net
 * bridge, then ingest, exporter and display as the real services (`node services/<svc>/dist/main.js`), the
 * notifier with its own redis-server (in the temp folder, no persistence) when redis-server is installed, and
 * Prometheus when it is installed. Prints the URLs; Ctrl-C stops everything in reverse order.
 *
 * History (`make demo-history`, `DEMO_HISTORY=7d make demo` or `--history 7d`): the simulator first writes the past
 * week at one telegram a minute to a capture, `smarty replay` sends it through the broker before ingest starts, and
 * the live stream continues the same registers. The notifier's guards accept it: meter times in the past are never
 * suspect (NOTIFIER_CLOCK_TOLERANCE bounds only times ahead), and a replayed capture is not checked against the
 * host's clock (INGEST_CLOCK_TOLERANCE is ingest's, for live sources). It fills the notifier's statistics (days,
 * week, month, baseload); Prometheus starts empty and scrapes from now on.
 *
 * Ports: each option is a preferred port; when it is taken a free one is used and printed. 0 always picks a free one.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startNotifier } from "./demo-notifier.mjs";
import { findExecutable, historyMs, prometheusConfig, ROOT, waitFor } from "./demo-support.mjs";

/** The simulator's published test key (never a real meter's); ingest needs the same one to decrypt. */
const DEMO_KEY = "000102030405060708090A0B0C0D0E0F";

const { values: opt } = parseArgs({
  options: {
    "mqtt-port": { type: "string", default: "1883" },
    "simulator-port": { type: "string", default: "2323" },
    "ingest-port": { type: "string", default: "8091" },
    "metrics-port": { type: "string", default: "9464" },
    "display-port": { type: "string", default: "8080" },
    "prometheus-port": { type: "string", default: "9090" },
    "redis-port": { type: "string", default: "0" },
    "no-prometheus": { type: "boolean", default: false },
    "no-notifier": { type: "boolean", default: false },
    history: { type: "string", default: process.env.DEMO_HISTORY ?? "" },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opt.help) {
  console.log(`usage: node scripts/demo.mjs [--display-port N] [--metrics-port N] [--mqtt-port N] [--simulator-port N]
                           [--ingest-port N] [--prometheus-port N] [--redis-port N] [--no-prometheus]
                           [--no-notifier] [--history 7d] [--verbose]
MQTT_URL (+ MQTT_USERNAME, MQTT_PASSWORD) use an existing broker instead of the embedded one.
DEMO_HISTORY=7d (or --history 7d) first replays a simulated past week, so the statistics have days to show.`);
  process.exit(0);
}

const BUILT = ["packages/cli", "services/ingest", "services/exporter", "services/display", "services/notifier"];
let history;
try {
  history = historyMs(opt.history);
} catch (err) {
  console.error(err.message);
  process.exit(64);
}
const unbuilt = BUILT.filter((d) => !existsSync(join(ROOT, d, "dist", "main.js")));
if (unbuilt.length > 0) {
  console.error(`Not built yet: ${unbuilt.join(", ")}. Run "make demo" (or "npm run build" first).`);
  process.exit(1);
}

/** The preferred port when free on 127.0.0.1, else (or for 0) a free one. */
function port(preferred) {
  const tryListen = (p) =>
    new Promise((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(undefined));
      srv.listen(p, "127.0.0.1", () => {
        const got = srv.address().port;
        srv.close(() => resolve(got));
      });
    });
  return tryListen(Number(preferred)).then((p) => p ?? tryListen(0));
}

const children = [];
let broker;
let brokerServer;
let stopping = false;
const work = mkdtempSync(join(tmpdir(), "smarty-demo-"));
const LEVELS = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

/** One line of a child's output, pino JSON shortened to "level message (error)". */
function show(name, line) {
  if (line.trim() === "") return;
  let text = line;
  try {
    const j = JSON.parse(line);
    if (j && typeof j.msg === "string")
      text = `${LEVELS[j.level] ?? j.level} ${j.msg}${j.err ? ` (${j.err.message})` : ""}`;
  } catch {
    // not JSON: print as is
  }
  console.log(`[${name}] ${text}`);
}

/** `quiet`: its output only with --verbose (redis-server prints its start-up banner whatever the log level). */
function start(name, command, args, env, quiet = false) {
  // Own process group: Ctrl-C reaches only this script, which then stops the children in reverse order.
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream.on("data", (b) => {
      const lines = (rest + b.toString()).split("\n");
      rest = lines.pop() ?? "";
      if (!quiet || opt.verbose) for (const l of lines) show(name, l);
    });
  }
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`[demo] ${name} stopped unexpectedly (code ${code}, signal ${signal}); stopping the demo`);
    void stop(1);
  });
  children.push({ name, child });
  return child;
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log("[demo] stopping");
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => {
      console.error(`[demo] ${name} did not stop within 10 s; killing it`);
      child.kill("SIGKILL");
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
  if (brokerServer) await new Promise((resolve) => brokerServer.close(() => resolve()));
  if (broker) await new Promise((resolve) => broker.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
  console.log("[demo] stopped");
  process.exit(code);
}

process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function main() {
  const level = opt.verbose ? "info" : "warn";
  let mqtt = { MQTT_URL: process.env.MQTT_URL ?? "" };
  let brokerText;
  if (!process.env.MQTT_URL) {
    const { Aedes } = await import("aedes");
    const mqttPort = await port(opt["mqtt-port"]);
    broker = await Aedes.createBroker();
    brokerServer = createServer(broker.handle);
    await new Promise((resolve) => brokerServer.listen(mqttPort, "127.0.0.1", resolve));
    // aedes speaks MQTT 3.1.1 only.
    mqtt = {
      MQTT_URL: `mqtt://127.0.0.1:${mqttPort}`,
      MQTT_PROTOCOL_VERSION: "4",
      MQTT_USERNAME: "",
      MQTT_PASSWORD: "",
    };
    brokerText = `${mqtt.MQTT_URL} (embedded, no password; try: mosquitto_sub -p ${mqttPort} -t 'smarty/#' -v)`;
  } else {
    brokerText = `${process.env.MQTT_URL} (from MQTT_URL)`;
  }
  const common = { ...mqtt, SMARTY_INSTANCE: "demo", LOG_LEVEL: level };
  const notifierText = opt["no-notifier"]
    ? "skipped (--no-notifier): Today / This month stay empty"
    : await startNotifier({ common, work, start, connects, redisPort: await port(opt["redis-port"]) });

  const simPort = await port(opt["simulator-port"]);
  const ingestPort = await port(opt["ingest-port"]);
  const metricsPort = await port(opt["metrics-port"]);
  const displayPort = await port(opt["display-port"]);

  const capture = join(work, "history.bin");
  const replayHistory = history > 0 && notifierText.startsWith("statistics");
  if (history > 0 && !replayHistory) console.log("[demo] no notifier, so no history to fill: skipping the history");
  start("simulator", process.execPath, [
    "packages/cli/dist/main.js",
    "simulate",
    "--out",
    `tcp://127.0.0.1:${simPort}`,
    "--key",
    DEMO_KEY,
    ...(replayHistory ? ["--history", `${history / 60_000}m`, "--history-out", capture] : []),
  ]);
  // With a history, the simulator writes the capture before it opens its port.
  await waitFor(`the simulator on port ${simPort}`, () => connects(simPort), 180_000);
  let historyText;
  if (replayHistory) {
    console.log(`[demo] replaying ${Math.round(history / 3_600_000)} h of history into the broker`);
    const startedAt = Date.now();
    const code = await run("replay", ["packages/cli/dist/main.js", "replay", capture, "--key", DEMO_KEY], {
      ...common,
      MQTT_PASSWORD: mqtt.MQTT_PASSWORD ?? process.env.MQTT_PASSWORD ?? "",
    });
    if (code !== 0) throw new Error(`replaying the history failed (exit ${code})`);
    const took = ((Date.now() - startedAt) / 1000).toFixed(0);
    historyText = `${opt.history.trim()} replayed in ${took} s (a reading a minute: statistics, not Prometheus)`;
  }
  start("ingest", process.execPath, ["services/ingest/dist/main.js"], {
    ...common,
    SMARTY_SOURCE: `tcp://127.0.0.1:${simPort}`,
    SMARTY_KEY: DEMO_KEY,
    SMARTY_KEY_FILE: "",
    INGEST_HTTP_PORT: String(ingestPort),
  });
  start("exporter", process.execPath, ["services/exporter/dist/main.js"], {
    ...common,
    EXPORTER_PORT: String(metricsPort),
    EXPORTER_HOST: "127.0.0.1",
  });
  start("display", process.execPath, ["services/display/dist/main.js"], {
    ...common,
    DISPLAY_PORT: String(displayPort),
  });

  for (const [name, p] of [
    ["ingest", ingestPort],
    ["exporter", metricsPort],
    ["display", displayPort],
  ])
    await waitFor(`${name} /healthz`, () => httpOk(`http://127.0.0.1:${p}/healthz`));

  let promText = "not installed (apt-get install prometheus), skipped";
  const prometheus = opt["no-prometheus"] ? undefined : findExecutable("prometheus");
  if (opt["no-prometheus"]) promText = "skipped (--no-prometheus)";
  if (prometheus) {
    const promPort = await port(opt["prometheus-port"]);
    const config = prometheusConfig(work, { metricsPort, prometheusPort: promPort });
    start("prometheus", prometheus, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(work, "prometheus")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      "--log.level=warn",
    ]);
    await waitFor("prometheus", () => httpOk(`http://127.0.0.1:${promPort}/-/ready`));
    promText = `http://localhost:${promPort}/`;
  }

  console.log("[demo] waiting for the first reading (the meter sends one every 10 s)");
  await waitFor("the first reading on /metrics", async () => {
    const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => undefined);
    return r?.ok && /^smarty_meter_info\{/m.test(await r.text());
  });
  console.log(`
smarty demo: a simulated Smarty meter, encrypted frames over TCP, the real services
  In Home Display  http://localhost:${displayPort}/
  Metrics          http://localhost:${metricsPort}/metrics
  Prometheus       ${promText}
  Notifier         ${notifierText}${historyText ? `\n  History          ${historyText}` : ""}
  MQTT broker      ${brokerText}
Press Ctrl-C to stop.
`);
}

/** Runs a command to its end (its output shown like the services'); resolves with the exit code. */
function run(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout, child.stderr])
    stream.on("data", (b) => {
      for (const l of b.toString().split(/[\r\n]+/)) show(name, l);
    });
  children.push({ name, child });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

function connects(p) {
  return new Promise((resolve) => {
    const c = connect(p, "127.0.0.1");
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

async function httpOk(url) {
  const r = await fetch(url).catch(() => undefined);
  return r?.ok === true;
}

main().catch((err) => {
  console.error(`[demo] ${err.message}`);
  void stop(1);
});
