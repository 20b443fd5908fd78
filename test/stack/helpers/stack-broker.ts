/**
 * The stack's own broker configuration run with Debian's mosquitto: `mosquitto/generate-auth.sh` builds the users
 * and ACL from an environment exactly as the container does at start, and `mosquitto/mosquitto.conf` is rewritten
 * only for the listener port and the file locations (plus `user root` when the tests run as root, since mosquitto
 * would otherwise drop to user `mosquitto` and lose access to the 0600 files).
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Daemon, findBinary, freePort, spawnDaemon, tempDir, untilReady, waitForPort } from "@smarty/testkit";
import { repoPath } from "./repo.js";

const run = promisify(execFile);

/** The users generate-auth.sh knows; the first four are required. */
export const STACK_USERS = ["ingest", "exporter", "display", "notifier", "homeassistant", "cli"] as const;
export type StackUser = (typeof STACK_USERS)[number];

export const passwordVariable = (user: string): string => `MQTT_${user.toUpperCase()}_PASSWORD`;

/** A distinct test password per user, long enough for the script's check. */
export function testPasswords(users: readonly StackUser[] = STACK_USERS): Record<StackUser, string> {
  return Object.fromEntries(users.map((u) => [u, `test-${u}-password-0123`])) as Record<StackUser, string>;
}

export interface GeneratedAuth {
  readonly code: number;
  readonly stderr: string;
  readonly dir: string;
}

/** Runs generate-auth.sh with only `env` (plus PATH) into `dir`; resolves with its exit code and stderr. */
export async function generateAuth(dir: string, env: Record<string, string>): Promise<GeneratedAuth> {
  try {
    const r = await run("sh", [repoPath("mosquitto", "generate-auth.sh"), dir], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    });
    return { code: 0, stderr: r.stderr, dir };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stderr: e.stderr ?? String(err), dir };
  }
}

export interface StackBroker {
  readonly url: string;
  readonly port: number;
  readonly authDir: string;
  readonly passwords: Record<string, string>;
  output(): string;
  stop(): Promise<void>;
}

/** The committed mosquitto.conf with the container paths and the listener moved into `dir` and `port`. */
export function rewriteBrokerConfig(authDir: string, dataDir: string, port: number): string {
  const conf = readFileSync(repoPath("mosquitto", "mosquitto.conf"), "utf8")
    .replaceAll("/tmp/mosquitto-auth/", `${authDir}/`)
    .replaceAll("/mosquitto/data/", `${dataDir}/`)
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`);
  return process.getuid?.() === 0 ? `user root\n${conf}` : conf;
}

/** Starts mosquitto with the generated users and ACL. `env` defaults to a password for every user. */
export async function startStackBroker(env?: Record<string, string>): Promise<StackBroker> {
  const passwords: Record<string, string> = {};
  for (const [user, pw] of Object.entries(testPasswords())) {
    const given = env ? env[passwordVariable(user)] : pw;
    if (given) passwords[user] = given;
  }
  const fullEnv =
    env ?? Object.fromEntries(Object.entries(passwords).map(([u, pw]) => [passwordVariable(u), pw] as const));
  const dir = tempDir("stack-broker");
  const authDir = join(dir.path, "auth");
  const dataDir = join(dir.path, "data");
  mkdirSync(dataDir);
  const generated = await generateAuth(authDir, fullEnv);
  if (generated.code !== 0) {
    dir.remove();
    throw new Error(`generate-auth.sh exited ${generated.code}:\n${generated.stderr}`);
  }
  passwords.healthcheck = readFileSync(join(authDir, "healthcheck-password"), "utf8").trim();
  const port = await freePort();
  const confPath = join(dir.path, "mosquitto.conf");
  writeFileSync(confPath, rewriteBrokerConfig(authDir, dataDir, port));
  const daemon: Daemon = spawnDaemon("mosquitto", findBinary("mosquitto"), ["-c", confPath]);
  await untilReady(daemon, waitForPort(port));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    authDir,
    passwords,
    output: () => daemon.output(),
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}
