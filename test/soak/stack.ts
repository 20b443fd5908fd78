/**
 * Everything the soak runs, as on a Raspberry Pi but on loopback: mosquitto (persistent, so sessions and retained
 * state survive its restarts), Redis with an append-only file as docker-compose.yml configures it, Prometheus
 * scraping the exporter, an SMTP sink, Prosody with the household's account, a GnuPG home holding the household's
 * key, and the four services as real processes (`dist/main.js`, one ingest per meter).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Daemon,
  findBinary,
  freePort,
  type Gpg,
  type Mosquitto,
  type Prometheus,
  type Prosody,
  type SmtpSink,
  spawnDaemon,
  startGpg,
  startMosquitto,
  startPrometheus,
  startProsody,
  startSmtpSink,
  tempDir,
  untilReady,
  waitForPort,
} from "@smarty/testkit";
import { connectUser, type XmppUser } from "@smarty/testkit/xmpp-user";
import { ServiceProcess } from "./service-process.js";

export const HOUSEHOLD_MAIL = "home@example.org";
export const HOUSEHOLD_JID = "alice@localhost";
export const BOT_JID = "smarty@localhost";

/**
 * The rules whose outcome follows from the readings alone (test/soak/expected-alerts.ts derives them from the fault
 * schedule and the simulator's truth), each with a cooldown and clear_after longer than any run: one episode per
 * alert. Level rules held for a wall-clock duration (`for`, meter silence) do not follow fast time, where a
 * simulated hour passes in a second of a loaded machine; the notifier's own tests cover them.
 */
const NOTIFIER_YAML = `alerts:
  rules:
${["power_import_high", "quarter_hour_approaching", "quarter_hour_exceeded", "voltage_range", "meter_silent"]
  .map((r) => `    ${r}: { enabled: false }`)
  .join("\n")}
${[
  "power_failure",
  "voltage_sag",
  "voltage_swell",
  "breaker_state",
  "valve_state",
  "operator_message",
  "meter_clock",
  "ingest_untrusted",
]
  .map((r) => `    ${r}: { cooldown: 24h, clear_after: 24h }`)
  .join("\n")}
${["ingest_auth", "email_undeliverable"].map((r) => `    ${r}: { cooldown: 24h }`).join("\n")}
reports: { day: { enabled: false }, week: { enabled: false }, month: { enabled: false } }
statistics: { publish_interval: 0s }
`;

export interface DurableRedis {
  readonly url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server with `appendonly yes` (the compose setting): a restart keeps the notifier's state and outbox. */
async function startDurableRedis(): Promise<DurableRedis> {
  const dir = tempDir("soak-redis");
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"];
  args.push("--appendfsync", "everysec", "--dir", dir.path, "--daemonize", "no");
  let daemon: Daemon;
  const launch = async () => {
    daemon = spawnDaemon("redis-server", findBinary("redis-server"), args);
    await untilReady(daemon, waitForPort(port));
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart() {
      await daemon.stop();
      await launch();
    },
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}

export interface MeterPath {
  readonly kind: "tcp" | "serial";
  /** tcp://127.0.0.1:port or serial:///path */
  readonly source: string;
  readonly keyHex: string;
}

export interface Stack {
  readonly dir: string;
  readonly mosquitto: Mosquitto;
  readonly redis: DurableRedis;
  readonly prometheus: Prometheus;
  readonly smtp: SmtpSink;
  readonly prosody: Prosody;
  readonly gpg: Gpg;
  readonly alice: XmppUser;
  readonly ingests: ServiceProcess[];
  readonly ingestPorts: number[];
  readonly exporter: ServiceProcess;
  readonly exporterPort: number;
  readonly display: ServiceProcess;
  readonly displayPort: number;
  readonly notifier: ServiceProcess;
  readonly services: ServiceProcess[];
  stop(): Promise<void>;
}

const dist = (svc: string) => join(import.meta.dirname, "../../services", svc, "dist/main.js");

export async function startStack(paths: readonly MeterPath[]): Promise<Stack> {
  const dir = tempDir("soak");
  const logs = join(dir.path, "logs");
  writeFileSync(join(dir.path, ".keep"), "");
  await import("node:fs").then((fs) => fs.mkdirSync(logs));
  const exporterPort = await freePort();
  const displayPort = await freePort();
  const [mosquitto, redis, smtp, prosody, prometheus] = await Promise.all([
    startMosquitto({ persistence: true }),
    startDurableRedis(),
    startSmtpSink(),
    startProsody({
      users: [
        { username: "smarty", password: "smarty-soak-pw" },
        { username: "alice", password: "alice-soak-pw" },
      ],
    }),
    startPrometheus({
      config: `global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: smarty\n    static_configs: [{targets: ["127.0.0.1:${exporterPort}"]}]\n`,
    }),
  ]);
  const gpg = startGpg();
  await gpg.generateKey(`Household <${HOUSEHOLD_MAIL}>`);
  const keyFile = join(dir.path, "household.asc");
  writeFileSync(keyFile, await gpg.exportPublic(HOUSEHOLD_MAIL));
  const configFile = join(dir.path, "notifier.yaml");
  writeFileSync(configFile, NOTIFIER_YAML);

  const common = { MQTT_URL: mosquitto.url, LOG_LEVEL: "info" };
  // The same V8 heap caps as docker-compose.yml, so the soak measures memory as deployed.
  const heap = (mb: number) => ({ NODE_OPTIONS: `--max-semi-space-size=2 --max-old-space-size=${mb}` });
  const ingestPorts: number[] = [];
  const ingests: ServiceProcess[] = [];
  for (const [i, p] of paths.entries()) {
    const port = await freePort();
    ingestPorts.push(port);
    ingests.push(
      new ServiceProcess(
        `ingest-${i + 1}`,
        dist("ingest"),
        {
          ...common,
          ...heap(48),
          SMARTY_INSTANCE: `meter${i + 1}`,
          SMARTY_SOURCE: p.source,
          SMARTY_KEY: p.keyHex,
          INGEST_HTTP_PORT: String(port),
          INGEST_HEALTH_INTERVAL: "1s",
          INGEST_RECONNECT_MIN: "200ms",
          INGEST_RECONNECT_MAX: "1s",
          // Fast time: a month of meter time, in the past, passes in minutes of wall time.
          INGEST_CLOCK_TOLERANCE: "400d",
        },
        logs,
      ),
    );
  }
  const exporter = new ServiceProcess(
    "exporter",
    dist("exporter"),
    { ...common, ...heap(48), EXPORTER_PORT: String(exporterPort), EXPORTER_HOST: "127.0.0.1" },
    logs,
  );
  const display = new ServiceProcess(
    "display",
    dist("display"),
    { ...common, ...heap(48), DISPLAY_PORT: String(displayPort), DISPLAY_HOST: "127.0.0.1" },
    logs,
  );
  const notifier = new ServiceProcess(
    "notifier",
    dist("notifier"),
    {
      ...common,
      ...heap(80),
      REDIS_URL: redis.url,
      NOTIFIER_CONFIG: configFile,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      SMTP_TLS: "none",
      EMAIL_FROM: "smarty@example.org",
      EMAIL_TO: HOUSEHOLD_MAIL,
      EMAIL_PGP_KEYS: keyFile,
      NOTIFIER_OUTBOX_RETRY_MIN: "500ms",
      NOTIFIER_OUTBOX_RETRY_MAX: "2s",
      // Fast time, as for the ingests: the same tolerance; the clock-jump fault (five years ahead) exceeds both.
      NOTIFIER_CLOCK_TOLERANCE: "400d",
      XMPP_SERVICE: prosody.directTlsService ?? "",
      XMPP_CA_FILE: prosody.caFile ?? "",
      XMPP_DOMAIN: "localhost",
      XMPP_USERNAME: "smarty",
      XMPP_PASSWORD: "smarty-soak-pw",
      XMPP_ALLOWED_JIDS: HOUSEHOLD_JID,
    },
    logs,
  );
  const services = [...ingests, exporter, display, notifier];
  for (const s of services) s.start();
  await Promise.all([waitForPort(exporterPort, 20_000), waitForPort(displayPort, 20_000)]);
  const alice = await connectUser(prosody, "alice", "alice-soak-pw");

  return {
    dir: dir.path,
    mosquitto,
    redis,
    prometheus,
    smtp,
    prosody,
    gpg,
    alice,
    ingests,
    ingestPorts,
    exporter,
    exporterPort,
    display,
    displayPort,
    notifier,
    services,
    async stop() {
      for (const s of [...services].reverse()) await s.close();
      await alice.stop();
      await Promise.all([mosquitto.stop(), redis.stop(), smtp.stop(), prosody.stop(), prometheus.stop()]);
      await gpg.stop();
      if (!process.env.SOAK_KEEP) dir.remove();
    },
  };
}
