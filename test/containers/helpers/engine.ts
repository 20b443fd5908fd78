/**
 * The Docker engine for the container tests. An engine that answers is used as it is. Otherwise, as root with
 * Debian's docker.io installed (`make test-deps` installs it), the test setup starts `dockerd` itself and stops
 * exactly that process, by PID, when the tests end. Under CI=true a missing engine is a failure with its reason;
 * elsewhere the container tests print one skip line.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findBinary, tempDir, waitFor } from "@smarty/testkit";

const run = promisify(execFile);

export interface Engine {
  /** True when this run started dockerd (and so stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

export class EngineUnavailableError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`no Docker engine: ${reason}`, options);
    this.name = "EngineUnavailableError";
  }
}

/** True when `docker info` answers within 15 s. */
export async function engineAnswers(): Promise<boolean> {
  try {
    await run(findBinary("docker"), ["info", "--format", "{{.ServerVersion}}"], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

function findOrExplain(name: string): string {
  try {
    return findBinary(name);
  } catch (err) {
    throw new EngineUnavailableError(`${name} is not installed (make test-deps installs Debian's docker.io)`, {
      cause: err,
    });
  }
}

/** An engine that answers, or one started here; throws EngineUnavailableError with the reason otherwise. */
export async function ensureEngine(): Promise<Engine> {
  findOrExplain("docker");
  if (await engineAnswers()) return { started: false, stop: async () => {} };
  const dockerd = findOrExplain("dockerd");
  if (process.getuid?.() !== 0) throw new EngineUnavailableError("dockerd is not running and this is not root");
  const dir = tempDir("dockerd");
  const logFile = join(dir.path, "dockerd.log");
  const out = openSync(logFile, "a");
  const child: ChildProcess = spawn(dockerd, ["--pidfile", join(dir.path, "dockerd.pid")], {
    stdio: ["ignore", out, out],
    detached: false,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new EngineUnavailableError(`dockerd exited with code ${child.exitCode}`);
        return engineAnswers();
      },
      60_000,
      "dockerd to answer",
      500,
    );
  } catch (err) {
    child.kill("SIGKILL");
    const log = readFileSync(logFile, "utf8").split("\n").slice(-15).join("\n");
    throw new EngineUnavailableError(`dockerd did not start: ${String(err)}\n${log}`, { cause: err });
  }
  return {
    started: true,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
      dir.remove();
    },
  };
}
