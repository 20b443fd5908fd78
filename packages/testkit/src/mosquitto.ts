/**
 * A real mosquitto broker (Debian package) on a free loopback port, with optional users and ACL.
 * As root, mosquitto drops to user `mosquitto`; `user root` keeps it able to read the 0600 files in the temp dir.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Daemon, findBinary, freePort, spawnDaemon, tempDir, untilReady, waitForPort } from "./process.js";

export interface MosquittoUser {
  readonly username: string;
  readonly password: string;
}

export interface MosquittoOptions {
  /** Users for the password file; without users anonymous access is allowed. */
  readonly users?: readonly MosquittoUser[];
  /** ACL file text (mosquitto.conf(5) "acl_file"); only with users. */
  readonly acl?: string;
  /** Keep retained messages across restart() (persistence in the temp dir). */
  readonly persistence?: boolean;
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  output(): string;
  /** Stops the broker (SIGTERM) keeping its port and files. */
  pause(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /** SIGKILL: the broker dies without saving; a resume() starts from what persistence last wrote. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const bin = findBinary("mosquitto");
  const dir = tempDir("mosquitto");
  const port = await freePort();
  const lines = [
    "user root",
    "per_listener_settings false",
    `listener ${port} 127.0.0.1`,
    "log_dest stderr",
    "log_type error",
    "log_type warning",
  ];
  if (options.persistence) lines.push("persistence true", `persistence_location ${dir.path}/`, "autosave_interval 1");
  else lines.push("persistence false");
  if (options.users && options.users.length > 0) {
    const pw = join(dir.path, "passwd");
    writeFileSync(pw, "", { mode: 0o600 });
    for (const u of options.users) execFileSync(findBinary("mosquitto_passwd"), ["-b", pw, u.username, u.password]);
    lines.push("allow_anonymous false", `password_file ${pw}`);
    if (options.acl) {
      const acl = join(dir.path, "acl");
      writeFileSync(acl, options.acl, { mode: 0o600 });
      lines.push(`acl_file ${acl}`);
    }
  } else {
    lines.push("allow_anonymous true");
  }
  const conf = join(dir.path, "mosquitto.conf");
  writeFileSync(conf, `${lines.join("\n")}\n`);

  let daemon: Daemon;
  let log = "";
  const launch = async () => {
    daemon = spawnDaemon("mosquitto", bin, ["-c", conf]);
    await untilReady(daemon, waitForPort(port));
  };
  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir: dir.path,
    output: () => log + daemon.output(),
    async pause() {
      log += daemon.output();
      await daemon.stop();
    },
    async resume() {
      await launch();
    },
    async crash() {
      log += daemon.output();
      await daemon.kill();
    },
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}
