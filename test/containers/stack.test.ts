/**
 * The first command for real: every image built from the repository's Dockerfile, and docker-compose.yml, unchanged,
 * brought up with the demo and notify profiles (all but Grafana, which has no Debian package to stand in for it),
 * then checked from outside through the engine, as a user's Pi would run it. Upstream images that cannot be pulled
 * are replaced by the stand-ins of test/containers/standins. Under CI=true a missing engine fails; elsewhere this
 * prints one skip line.
 */

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { findObis, metricsOf } from "@smarty/p1";
import { type Gpg, startGpg, tempDir, waitFor } from "@smarty/testkit";
import { simpleParser } from "mailparser";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, readCompose } from "../stack/helpers/repo.js";
import { ComposeProject, type ContainerState } from "./helpers/compose.js";
import { type Engine, EngineUnavailableError, ensureEngine } from "./helpers/engine.js";
import { freeHostPorts, makeDotEnv, memoryTable, STACK_SERVICES } from "./helpers/stack-setup.js";

const run = promisify(execFile);
const SKIP = "skipped: no container runtime";
const BASE = "smarty";
const ENERGY = metricsOf(findObis("1-0:1.8.0") ?? (undefined as never))[0]?.name as string;

let engine: Engine | undefined;
let unavailable: string | undefined;
try {
  engine = await ensureEngine();
} catch (err) {
  if (!(err instanceof EngineUnavailableError) || process.env.CI === "true") throw err;
  unavailable = err.message;
  process.stderr.write(`${relative(ROOT, import.meta.filename)}: ${SKIP} (${unavailable})\n`);
}

const compose = readCompose();
const work = tempDir("containers");
const project = `smarty-ct-${randomBytes(3).toString("hex")}`;
let stack: ComposeProject;
let env: Record<string, string>;
let gpg: Gpg;
let meterId: string;
const clients: MqttClient[] = [];

function connect(user: string, password: string | undefined, protocolVersion: 4 | 5 = 5): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(`mqtt://127.0.0.1:${env.MQTT_HOST_PORT}`, {
      username: user,
      password,
      protocolVersion,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
    });
    clients.push(client);
    client.once("connect", () => resolve(client));
    client.once("error", reject);
  });
}

/** The first message on `topic` (retained ones included) within `timeoutMs`. */
function firstMessage(
  client: MqttClient,
  topic: string,
  timeoutMs = 60_000,
): Promise<{ payload: string; retain: boolean }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (t: string, payload: Buffer, packet: { retain: boolean }) => {
      if (t !== topic) return;
      clearTimeout(timer);
      client.off("message", onMessage);
      resolve({ payload: payload.toString(), retain: packet.retain });
    };
    client.on("message", onMessage);
    client.subscribe(topic, { qos: 1 });
  });
}

async function displayMeters(): Promise<{ meter_id: string; reading: Record<string, unknown> }[]> {
  const res = await fetch(`http://127.0.0.1:${env.DISPLAY_HOST_PORT}/api/meters`);
  return ((await res.json()) as { meters: { meter_id: string; reading: Record<string, unknown> }[] }).meters;
}

async function prometheusValue(query: string): Promise<number | undefined> {
  const url = `http://127.0.0.1:${env.PROMETHEUS_HOST_PORT}/api/v1/query?query=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url)).json()) as { data?: { result: { value: [number, string] }[] } };
  const v = body.data?.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

describe.skipIf(unavailable !== undefined)("docker-compose.yml in containers (demo + notify, without Grafana)", () => {
  beforeAll(async () => {
    await run("bash", [join(ROOT, "test/containers/standins/build-standins.sh")], {
      timeout: 20 * 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stderr?: string; message: string }) => {
      throw new Error(`stand-in images: ${err.stderr || err.message}`);
    });
    gpg = startGpg();
    await gpg.generateKey("Household <household@example.org>");
    const keys = join(work.path, "notifier");
    mkdirSync(keys);
    writeFileSync(join(keys, "household.asc"), await gpg.exportPublic("household@example.org"));
    const mail = join(work.path, "mail");
    mkdirSync(mail, { mode: 0o777 });
    env = await makeDotEnv(join(work.path, ".env"), {
      ...(await freeHostPorts()),
      COMPOSE_PROFILES: "demo,notify",
      MQTT_CLI_PASSWORD: randomBytes(16).toString("hex"),
      SMTP_URL: "smtp://smtp-sink:2525",
      SMTP_TLS: "none",
      EMAIL_FROM: "smarty@example.org",
      EMAIL_TO: "household@example.org",
      EMAIL_PGP_KEYS: "/etc/smarty/household.asc",
    });
    const nodeImage = `node:${/^ARG NODE_VERSION=(\S+)$/m.exec(readFileSync(join(ROOT, "Dockerfile"), "utf8"))?.[1]}-bookworm-slim`;
    // Test-only additions: the SMTP sink on the compose network and the notifier's key folder.
    const override = {
      services: {
        "smtp-sink": {
          image: nodeImage,
          command: ["node", "/sink/smtp-sink.mjs"],
          volumes: [
            `${join(ROOT, "test/containers/helpers/smtp-sink.mjs")}:/sink/smtp-sink.mjs:ro`,
            `${join(ROOT, "node_modules")}:/sink/node_modules:ro`,
            `${mail}:/mail`,
          ],
        },
        notifier: { volumes: [`${keys}:/etc/smarty:ro`] },
      },
    };
    writeFileSync(join(work.path, "override.yml"), JSON.stringify(override, null, 2));
    stack = new ComposeProject(project, ROOT, join(work.path, ".env"), join(work.path, "override.yml"), [
      "demo",
      "notify",
    ]);
    await stack.run(["build"]);
    await stack.run(["up", "-d", ...STACK_SERVICES, "smtp-sink"]);
  }, 45 * 60_000);

  afterAll(async () => {
    for (const c of clients) c.end(true);
    await stack?.run(["down", "-v", "--remove-orphans"], 5 * 60_000).catch((err) => {
      process.stderr.write(`containers: down failed: ${String(err)}\n`);
    });
    await gpg?.stop();
    work.remove();
    await engine?.stop();
  }, 10 * 60_000);

  it("turns every container healthy through its own HEALTHCHECK, run by the engine", async () => {
    const states = await waitFor(
      async () => {
        const all = (await stack.containers()).filter((c) => STACK_SERVICES.includes(c.service));
        const bad = all.filter((c) => c.status !== "running");
        if (bad.length > 0) throw new Error(`not running: ${bad.map((c) => `${c.service} (${c.status})`).join(", ")}`);
        return all.length === STACK_SERVICES.length && all.every((c) => c.health === "healthy") ? all : undefined;
      },
      4 * 60_000,
      "every container healthy",
      2000,
    );
    expect(states.map((c) => c.service).sort()).toEqual([...STACK_SERVICES].sort());
  });

  it("runs every container as non-root, read-only, with no capabilities (docker inspect)", async () => {
    const states = (await stack.containers()).filter((c) => STACK_SERVICES.includes(c.service));
    const problems = states.flatMap((c: ContainerState) => [
      ...(c.user === "" || /^(0|root)(:|$)/.test(c.user)
        ? [`${c.service}: runs as root (${c.user || "default"})`]
        : []),
      ...(c.readOnly ? [] : [`${c.service}: root filesystem is writable`]),
      ...(c.capDrop.includes("ALL") ? [] : [`${c.service}: capabilities not dropped`]),
      ...(c.capAdd.length > 0 ? [`${c.service}: adds ${c.capAdd.join(",")}`] : []),
      ...(c.memoryLimit > 0 ? [] : [`${c.service}: no memory limit`]),
    ]);
    expect(problems).toEqual([]);
  });

  it("brings a simulated reading to the display, the exporter and Prometheus across the compose network", async () => {
    const meter = await waitFor(async () => (await displayMeters())[0], 120_000, "a meter on the display", 1000);
    meterId = meter.meter_id;
    expect(Number(meter.reading.energy_import_kwh)).toBeGreaterThan(0);
    const metrics = await stack.exec("exporter", [
      "node",
      "-e",
      "fetch('http://127.0.0.1:9464/metrics').then(r=>r.text()).then(t=>process.stdout.write(t))",
    ]);
    expect(metrics).toMatch(new RegExp(`^${ENERGY}\\{[^}]*meter="${meterId}"[^}]*\\} [1-9]`, "m"));
    const value = await waitFor(
      () => prometheusValue(`${ENERGY}{meter="${meterId}"}`),
      120_000,
      "the energy register in Prometheus",
      2000,
    );
    expect(value).toBeGreaterThan(0);
  });

  it("refuses an anonymous client and a wrong password, and the display user cannot publish readings", async () => {
    await expect(connect("", undefined)).rejects.toThrow(/Not authorized|Bad User Name or Password|refused/i);
    await expect(connect("display", "not-the-password")).rejects.toThrow(
      /Not authorized|Bad User Name or Password|refused/i,
    );
    const display = await connect("display", env.MQTT_DISPLAY_PASSWORD);
    const reason = await new Promise<number | undefined>((resolve) => {
      display.publish(`${BASE}/${meterId}/reading`, "{}", { qos: 1 }, (err) => {
        resolve((err as { code?: number } | undefined)?.code);
      });
    });
    expect(reason).toBe(135); // MQTT v5 "Not authorized"
  });

  it("sends the report asked on the command topic as PGP/MIME to the SMTP sink, and gpg decrypts it", async () => {
    const cli = await connect("cli", env.MQTT_CLI_PASSWORD);
    const reply = firstMessage(cli, `${BASE}/notifier/cmd/response`);
    await new Promise((r) => setTimeout(r, 500)); // the subscription is in place before the command
    cli.publish(`${BASE}/notifier/cmd`, JSON.stringify({ command: "report", period: "day", transaction: "ct" }));
    expect(JSON.parse((await reply).payload)).toMatchObject({ status: "ok", transaction: "ct" });
    const mailDir = join(work.path, "mail");
    const file = await waitFor(() => readdirSync(mailDir)[0], 120_000, "a mail at the SMTP sink", 1000);
    const raw = readFileSync(join(mailDir, file));
    const outer = await simpleParser(raw);
    expect(outer.headers.get("content-type")).toMatchObject({ value: "multipart/encrypted" });
    const armored = outer.attachments.find((a) => a.contentType === "application/octet-stream");
    expect(armored).toBeDefined();
    const { plaintext } = await gpg.decrypt(armored?.content as Buffer);
    const text = (await simpleParser(plaintext)).text ?? "";
    expect(text).toContain(`meter ${meterId}`);
    expect(text).toMatch(/Energy imported\s+\d+\.\d{3} kWh/);
    expect(raw.toString()).not.toContain(meterId);
  });

  it("keeps the retained state across `docker-compose restart mosquitto`, and readings resume", async () => {
    const topic = `${BASE}/${meterId}/reading`;
    const before = JSON.parse((await firstMessage(await connect("cli", env.MQTT_CLI_PASSWORD), topic)).payload);
    await stack.run(["stop", "ingest-demo"]);
    const kept = JSON.parse((await firstMessage(await connect("cli", env.MQTT_CLI_PASSWORD), topic)).payload);
    await stack.run(["restart", "mosquitto"]);
    await waitFor(async () => (await stack.container("mosquitto")).health === "healthy", 120_000, "mosquitto", 2000);
    const after = await firstMessage(await waitFor(() => connect("cli", env.MQTT_CLI_PASSWORD), 30_000), topic);
    expect(after.retain).toBe(true);
    expect(JSON.parse(after.payload)).toEqual(kept);
    await stack.run(["start", "ingest-demo"]);
    const newer = await waitFor(
      async () => {
        const m = (await displayMeters()).find((x) => x.meter_id === meterId);
        return m && Date.parse(String(m.reading.time)) > Date.parse(kept.time) ? m : undefined;
      },
      120_000,
      "a newer reading on the display after the broker restart",
      1000,
    );
    expect(Date.parse(String(newer.reading.time))).toBeGreaterThan(Date.parse(before.time));
  });

  it("reports each container's memory against its limit", async () => {
    const used = await stack.memory();
    const table = memoryTable(used, compose);
    process.stdout.write(`\ncontainer memory after the demo ran (docker stats):\n${table.text}\n`);
    for (const row of table.rows) expect(row.used, row.service).toBeLessThan(row.limit);
  });

  it("stops every container by itself within its stop_grace_period, and ingest says offline", async () => {
    const cli = await connect("cli", env.MQTT_CLI_PASSWORD);
    const statuses: string[] = [];
    cli.on("message", (t, p) => {
      if (t === `${BASE}/ingest/demo/status`) statuses.push(p.toString());
    });
    await new Promise<void>((r) => cli.subscribe(`${BASE}/ingest/demo/status`, { qos: 1 }, () => r()));
    await stack.run(["stop"], 10 * 60_000);
    const states = (await stack.containers()).filter((c) => STACK_SERVICES.includes(c.service));
    const problems = states.flatMap((c) => {
      // Exit code 0: the process ended by itself; the engine's SIGKILL after stop_grace_period gives 137.
      return [
        ...(c.status === "exited" ? [] : [`${c.service}: ${c.status}`]),
        ...(c.exitCode === 0 ? [] : [`${c.service}: exit code ${c.exitCode} (137 = killed after the grace period)`]),
        ...(c.oomKilled ? [`${c.service}: OOM-killed`] : []),
      ];
    });
    expect(problems).toEqual([]);
    expect(statuses.at(-1)).toBe("offline");
  });
});
