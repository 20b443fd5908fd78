/**
 * A real redis-server (Debian package) on a free loopback port, without persistence (`--save ''` is a literal
 * empty argument, `--appendonly no`). `flush()` empties it between tests; `restart()` keeps the port.
 */
import { type Daemon, findBinary, freePort, spawnDaemon, tempDir, untilReady, waitForPort } from "./process.js";

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  output(): string;
  /** FLUSHALL through redis-cli. */
  flush(): Promise<void>;
  /** Stops and starts it again on the same port (data is lost: no persistence). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const bin = findBinary("redis-server");
  const cli = findBinary("redis-cli");
  const dir = tempDir("redis");
  const port = await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir.path,
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
  ];
  let daemon: Daemon;
  let log = "";
  const launch = async () => {
    daemon = spawnDaemon("redis-server", bin, args);
    await untilReady(daemon, waitForPort(port));
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    output: () => log + daemon.output(),
    async flush() {
      const flusher = spawnDaemon("redis-cli", cli, ["-p", String(port), "FLUSHALL"]);
      await new Promise<void>((resolve) => flusher.child.once("exit", () => resolve()));
    },
    async restart() {
      log += daemon.output();
      await daemon.stop();
      await launch();
    },
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}
