/**
 * The whole stack as local processes on loopback, each configured as docker-compose.yml configures its container:
 * mosquitto with the generated users and ACL (startStackBroker), redis, Prometheus with the committed config and
 * rules (targets moved to loopback), the simulator with the compose `command` of the demo profile (its address
 * moved, a short interval and a frame count added), ingest-demo, exporter, display and notifier from their build
 * with their compose environment, an in-process SMTP sink, GnuPG for the recipient's key and Prosody for XMPP.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Daemon,
  freePort,
  type Gpg,
  type Prometheus,
  type Prosody,
  type RedisServer,
  type SmtpSink,
  spawnDaemon,
  startGpg,
  startPrometheus,
  startProsody,
  startRedis,
  startSmtpSink,
  tempDir,
  untilReady,
  waitFor,
} from "@smarty/testkit";
import { readCompose, repoPath } from "../../stack/helpers/repo.js";
import { passwordVariable, type StackBroker, startStackBroker } from "../../stack/helpers/stack-broker.js";
import { type StackProcess, startStackProcess } from "../../stack/helpers/stack-process.js";
import { stackPrometheusConfig } from "./stack-prometheus.js";
import type { SimulatedRun } from "./telegrams.js";

export const RECIPIENT = "alice@example.org";
export const XMPP_BOT = { username: "smarty", password: "smarty-bot-password" } as const;
export const XMPP_USER = { username: "alice", password: "alice-xmpp-password" } as const;

/**
 * The household's rule file: import above 10 W (the simulated household always draws more) raises
 * power_import_high at once and goes to XMPP only, so the one mail is the report. Statistics after every reading:
 * the notifier publishes them only when a reading arrives, so with a longer interval the last frames of the run
 * could stay unpublished.
 */
const NOTIFIER_RULES = `
alerts:
  channels: { info: [xmpp], warning: [xmpp], critical: [xmpp] }
  rules:
    power_import_high: { threshold_kw: 0.01, for: 0s, hysteresis_kw: 0 }
statistics: { publish_interval: 0s }
`;

export interface LocalStack {
  readonly broker: StackBroker;
  readonly redis: RedisServer;
  readonly prosody: Prosody;
  readonly smtp: SmtpSink;
  readonly gpg: Gpg;
  readonly prometheus: Prometheus;
  readonly simulator: Daemon;
  readonly services: Readonly<Record<"ingest" | "exporter" | "display" | "notifier", StackProcess>>;
  readonly displayUrl: string;
  /** Every process's output, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

/** The compose `command` of the simulator with the listener on loopback and the run's options. */
function simulatorArgs(port: number, run: SimulatedRun): string[] {
  const command = readCompose().services.simulator?.command;
  if (!command?.includes("--out")) throw new Error("docker-compose.yml: the simulator has no --out in its command");
  const args = command.map((a) => (a.startsWith("tcp://") ? `tcp://127.0.0.1:${port}` : a));
  return [
    ...args,
    ...["--seed", String(run.seed), "--start", new Date(run.start).toISOString()],
    ...["--interval", `${run.intervalMs}ms`, "--count", String(run.count)],
  ];
}

export async function startLocalStack(run: SimulatedRun): Promise<LocalStack> {
  const cleanup: (() => Promise<void> | void)[] = [];
  const dir = tempDir("e2e-stack");
  cleanup.push(() => dir.remove());
  const stop = async () => {
    for (const c of cleanup.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const [broker, redis, prosody, smtp, gpg] = await Promise.all([
      startStackBroker(),
      startRedis(),
      startProsody({ users: [XMPP_BOT, XMPP_USER] }),
      startSmtpSink(),
      Promise.resolve(startGpg()),
    ]);
    cleanup.push(
      () => broker.stop(),
      () => redis.stop(),
      () => prosody.stop(),
      () => smtp.stop(),
      () => gpg.stop(),
    );
    await gpg.generateKey(`Alice <${RECIPIENT}>`);
    const keyFile = join(dir.path, "alice.asc");
    writeFileSync(keyFile, await gpg.exportPublic(RECIPIENT));
    const rulesFile = join(dir.path, "notifier.yaml");
    writeFileSync(rulesFile, NOTIFIER_RULES);

    // .env as a household fills it for `docker compose --profile demo --profile notify up`.
    const vars: Record<string, string> = {
      ...Object.fromEntries(Object.entries(broker.passwords).map(([u, pw]) => [passwordVariable(u), pw])),
      NOTIFIER_CONFIG: rulesFile,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SMTP_TLS: "none",
      EMAIL_FROM: "smarty@example.org",
      EMAIL_TO: RECIPIENT,
      EMAIL_PGP_KEYS: keyFile,
      XMPP_SERVICE: prosody.service,
      XMPP_DOMAIN: prosody.domain,
      XMPP_USERNAME: XMPP_BOT.username,
      XMPP_PASSWORD: XMPP_BOT.password,
      XMPP_ALLOWED_JIDS: `${XMPP_USER.username}@${prosody.domain}`,
      NODE_EXTRA_CA_CERTS: prosody.caFile ?? "",
      LOG_LEVEL: "warn",
    };
    const [simPort, ingestPort, exporterPort, displayPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);

    const simulator = spawnDaemon("simulator", process.execPath, [
      repoPath("packages", "cli", "dist", "main.js"),
      ...simulatorArgs(simPort, run),
    ]);
    cleanup.push(() => simulator.stop());
    await untilReady(
      simulator,
      waitFor(() => simulator.output().includes("serving frames on"), 15_000, "simulator listening"),
    );

    const start = (composeService: string, svc: string, overrides: Record<string, string>, readyUrl?: string) =>
      startStackProcess({
        composeService,
        main: `services/${svc}/dist/main.js`,
        vars,
        overrides: { MQTT_URL: broker.url, ...overrides },
        ...(readyUrl ? { readyUrl } : {}),
      }).then((p) => {
        cleanup.push(() => p.stop());
        return p;
      });
    const [ingest, exporter, display, notifier, prometheus] = await Promise.all([
      start(
        "ingest-demo",
        "ingest",
        { SMARTY_SOURCE: `tcp://127.0.0.1:${simPort}`, INGEST_HTTP_PORT: String(ingestPort) },
        `http://127.0.0.1:${ingestPort}/healthz`,
      ),
      start(
        "exporter",
        "exporter",
        { EXPORTER_PORT: String(exporterPort), EXPORTER_HOST: "127.0.0.1" },
        `http://127.0.0.1:${exporterPort}/healthz`,
      ),
      start(
        "display",
        "display",
        { DISPLAY_PORT: String(displayPort), DISPLAY_HOST: "127.0.0.1" },
        `http://127.0.0.1:${displayPort}/healthz`,
      ),
      start("notifier", "notifier", { REDIS_URL: redis.url }),
      startPrometheus({ config: (port) => stackPrometheusConfig(exporterPort, port) }).then((p) => {
        cleanup.push(() => p.stop());
        return p;
      }),
    ]);
    const daemons = [simulator, ingest.daemon, exporter.daemon, display.daemon, notifier.daemon];
    return {
      broker,
      redis,
      prosody,
      smtp,
      gpg,
      prometheus,
      simulator,
      services: { ingest, exporter, display, notifier },
      displayUrl: `http://127.0.0.1:${displayPort}`,
      logs: () =>
        [...daemons.map((d) => `--- ${d.name}\n${d.output().slice(-3000)}`), `--- prometheus\n${prometheus.output()}`]
          .join("\n")
          .concat(`\n--- mosquitto\n${broker.output().slice(-2000)}`),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
