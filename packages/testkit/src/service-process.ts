/**
 * A smarty service as a real process from its TypeScript source (tsx, the "source" export condition), as `npm
 * start` runs its build: its pino lines, and a SIGTERM whose exit is timed. For tests of start-up and shutdown.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { waitFor } from "./process.js";

export interface ServiceRun {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines so far (other lines are skipped). */
  lines(): Record<string, unknown>[];
  /** Resolves once a log line with this `msg` was written. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends SIGTERM and resolves with the exit code and the milliseconds until the exit (SIGKILL after `killAfterMs`). */
  terminate(killAfterMs?: number): Promise<{ code: number | null; signal: string | null; ms: number }>;
}

export function runServiceSource(mainTs: string, env: Record<string, string>): ServiceRun {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", mainTs], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const lines = () =>
    out
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  return {
    child,
    output: () => out,
    lines,
    waitForLog: (msg, timeoutMs = 30_000) =>
      waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}:\n${out}`);
          return lines().find((l) => l.msg === msg);
        },
        timeoutMs,
        `log "${msg}"`,
      ),
    async terminate(killAfterMs = 30_000) {
      const t0 = Date.now();
      child.kill("SIGTERM");
      const kill = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      const r = await exited;
      clearTimeout(kill);
      return { ...r, ms: Date.now() - t0 };
    },
  };
}
