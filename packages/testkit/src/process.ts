/**
 * Real daemons for integration tests: find the binary, pick a free loopback port, start in a temp dir, wait until
 * ready, stop by PID. A missing binary fails loudly with the fix (`make test-deps`); nothing is skipped silently.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SEARCH_PATH = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"];

export class MissingDaemonError extends Error {
  constructor(name: string) {
    super(`${name} not found in PATH or ${SEARCH_PATH.join(":")}; install the test daemons with 'make test-deps'`);
    this.name = "MissingDaemonError";
  }
}

/** Absolute path of a binary; throws MissingDaemonError when absent. */
export function findBinary(name: string): string {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // try the next directory
    }
  }
  throw new MissingDaemonError(name);
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `smarty-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = "condition",
  intervalMs = 50,
): Promise<NonNullable<Awaited<T>>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<Awaited<T>>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves when a TCP connect to 127.0.0.1:port succeeds. */
export function waitForPort(port: number, timeoutMs = 10_000, host = "127.0.0.1"): Promise<boolean> {
  return waitFor(
    () =>
      new Promise<boolean>((resolve) => {
        const s = new Socket();
        s.once("connect", () => {
          s.destroy();
          resolve(true);
        });
        s.once("error", () => resolve(false));
        s.connect(port, host);
      }),
    timeoutMs,
    `port ${port}`,
  );
}

export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  /** Collected stdout+stderr, for assertions and failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once. */
  kill(): Promise<void>;
}

/** Spawns a daemon in the foreground and keeps its output. */
export function spawnDaemon(
  name: string,
  bin: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Daemon {
  const child = spawn(bin, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once("exit", () => resolve());
  });
  const signal = (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  return {
    name,
    child,
    output: () => out,
    async stop(graceMs = 5000) {
      signal("SIGTERM");
      const t = setTimeout(() => signal("SIGKILL"), graceMs);
      await exited;
      clearTimeout(t);
    },
    async kill() {
      signal("SIGKILL");
      await exited;
    },
  };
}

/** Fails with the daemon's output when it exits before `ready` resolves. */
export async function untilReady(daemon: Daemon, ready: Promise<unknown>): Promise<void> {
  const died = new Promise<never>((_, reject) => {
    daemon.child.once("exit", (code, sig) =>
      reject(new Error(`${daemon.name} exited early (code ${code}, signal ${sig}):\n${daemon.output().slice(-2000)}`)),
    );
  });
  await Promise.race([ready, died]);
}
