/**
 * A real Prosody XMPP server (Debian package) on free loopback ports, for the notifier's bot tests.
 *
 * - `tls: "required"` (default): a self-signed certificate for CN=localhost made by openssl; c2s requires
 *   STARTTLS (RFC 6120 §5) on `port`, and direct TLS (XEP-0368) listens on `directTlsPort`. Clients must trust
 *   `caFile` (NODE_EXTRA_CA_CERTS at process start, or an explicit `ca`).
 * - `tls: "none"`: no TLS module at all and plain SASL allowed, so a client can be shown refusing to log in.
 *
 * `default_iteration_count = 128` must be in the config before `prosodyctl register`, or every SCRAM login costs
 * about a second (toolchain notes). Prosody writes no pidfile without mod_posix; it is stopped by its child PID.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Daemon, findBinary, freePort, spawnDaemon, tempDir, untilReady, waitForPort } from "./process.js";

export interface ProsodyUser {
  readonly username: string;
  readonly password: string;
}

export interface ProsodyOptions {
  readonly users: readonly ProsodyUser[];
  /** "required": STARTTLS required plus a direct TLS port; "none": plaintext only. Default "required". */
  readonly tls?: "required" | "none";
}

export interface Prosody {
  readonly domain: string;
  /** c2s port (STARTTLS, or plaintext with `tls: "none"`). */
  readonly port: number;
  /** Direct TLS c2s port; undefined with `tls: "none"`. */
  readonly directTlsPort: number | undefined;
  /** `xmpp://127.0.0.1:<port>`. */
  readonly service: string;
  /** `xmpps://127.0.0.1:<directTlsPort>`; undefined with `tls: "none"`. */
  readonly directTlsService: string | undefined;
  /** The self-signed server certificate (PEM), to trust as a CA; undefined with `tls: "none"`. */
  readonly caFile: string | undefined;
  readonly dir: string;
  output(): string;
  /** Stops the server (SIGTERM, about 1–2 s) keeping its ports and data (rosters, offline messages). */
  pause(): Promise<void>;
  /** Starts it again on the same ports. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const DOMAIN = "localhost";

export async function startProsody(options: ProsodyOptions): Promise<Prosody> {
  const bin = findBinary("prosody");
  const ctl = findBinary("prosodyctl");
  const tls = (options.tls ?? "required") === "required";
  const dir = tempDir("prosody");
  const data = join(dir.path, "data");
  mkdirSync(data);
  const port = await freePort();
  const directTlsPort = tls ? await freePort() : undefined;
  let caFile: string | undefined;
  let keyFile: string | undefined;
  if (tls) {
    caFile = join(dir.path, `${DOMAIN}.crt`);
    keyFile = join(dir.path, `${DOMAIN}.key`);
    execFileSync(
      findBinary("openssl"),
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        `/CN=${DOMAIN}`,
        "-addext",
        `subjectAltName=DNS:${DOMAIN}`,
        "-keyout",
        keyFile,
        "-out",
        caFile,
      ],
      { stdio: "pipe" },
    );
  }
  const ssl = tls ? `{ certificate = "${caFile}"; key = "${keyFile}"; }` : undefined;
  const modules = ["roster", "saslauth", "disco", "ping", "presence", "message", "offline", "pep"];
  if (tls) modules.push("tls");
  const lines = [
    "run_as_root = true",
    "daemonize = false",
    `pidfile = "${join(dir.path, "prosody.pid")}"`,
    `data_path = "${data}"`,
    `certificates = "${dir.path}"`,
    'interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${port} }`,
    `c2s_direct_tls_ports = { ${directTlsPort ?? ""} }`,
    "s2s_ports = { }",
    "http_ports = { }",
    "https_ports = { }",
    "component_ports = { }",
    `modules_enabled = { ${modules.map((m) => `"${m}"`).join("; ")} }`,
    'modules_disabled = { "s2s"; "admin_shell"; "posix" }',
    `c2s_require_encryption = ${tls}`,
    `allow_unencrypted_plain_auth = ${!tls}`,
    'authentication = "internal_hashed"',
    // Fast SCRAM for tests; must precede `prosodyctl register` (the stored hash uses it).
    "default_iteration_count = 128",
    'storage = "internal"',
    'log = { { levels = { min = "info" }, to = "console" } }',
    ...(ssl ? [`ssl = ${ssl}`] : []),
    `VirtualHost "${DOMAIN}"`,
    ...(ssl ? [`  ssl = ${ssl}`] : []),
  ];
  const conf = join(dir.path, "prosody.cfg.lua");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  for (const u of options.users) {
    execFileSync(ctl, ["--config", conf, "register", u.username, DOMAIN, u.password], { stdio: "pipe" });
  }

  let daemon: Daemon;
  let log = "";
  const launch = async () => {
    daemon = spawnDaemon("prosody", bin, ["--config", conf]);
    await untilReady(
      daemon,
      Promise.all([waitForPort(port), directTlsPort ? waitForPort(directTlsPort) : Promise.resolve(true)]),
    );
  };
  await launch();
  return {
    domain: DOMAIN,
    port,
    directTlsPort,
    service: `xmpp://127.0.0.1:${port}`,
    directTlsService: directTlsPort ? `xmpps://127.0.0.1:${directTlsPort}` : undefined,
    caFile,
    dir: dir.path,
    output: () => log + daemon.output(),
    async pause() {
      log += daemon.output();
      await daemon.stop();
    },
    async resume() {
      await launch();
    },
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}
