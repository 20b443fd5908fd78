/**
 * The stack needs no Internet: test/e2e/stack.test.ts runs again in a child vitest inside a new network namespace
 * (`unshare --net`) whose only interface is loopback, brought up first. No DNS, no route out: any part that called
 * an outside address would fail there, or wait into the child's timeouts. As root (CI) the namespace needs nothing
 * more; otherwise a user namespace maps the caller to root. Without either the test fails with the reason.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findBinary, tempDir } from "@smarty/testkit";
import { describe, expect, it } from "vitest";
import { ROOT } from "../stack/helpers/repo.js";
import { ensureBuilt } from "./helpers/build.js";

const MARK = "--- interfaces end";

interface ChildResult {
  readonly code: number | null;
  readonly output: string;
}

function unshareArgs(): string[] {
  return process.getuid?.() === 0 ? ["--net"] : ["--net", "--map-root-user"];
}

/** Runs `script` with sh in a fresh network namespace; resolves with its exit code and output. */
function inNamespace(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(findBinary("unshare"), [...unshareArgs(), "--", "sh", "-c", script], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const keep = (b: Buffer) => {
      output += b.toString();
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("the stack offline", () => {
  it("passes the end-to-end test in a network namespace with only loopback", { timeout: 240_000 }, async () => {
    const probe = spawnSync(findBinary("unshare"), [...unshareArgs(), "true"], { encoding: "utf8" });
    if (probe.status !== 0) {
      throw new Error(
        `unshare ${unshareArgs().join(" ")} is not permitted here (exit ${probe.status}): ${probe.stderr.trim()}. ` +
          "The offline proof needs root (CI runs as root) or unprivileged user namespaces.",
      );
    }
    // Built once out here, so the child finds the dist folders current and the two runs never build at once.
    await ensureBuilt([
      "services/ingest",
      "services/exporter",
      "services/display",
      "services/notifier",
      "packages/cli",
    ]);
    const dir = tempDir("e2e-offline");
    try {
      const report = join(dir.path, "report.json");
      const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
      const script = [
        "set -e",
        "ip link set lo up 2>/dev/null || ifconfig lo up",
        "ip -o link show || ifconfig -a",
        `echo '${MARK}'`,
        `exec "${process.execPath}" "${vitest}" run --project integration test/e2e/stack.test.ts ` +
          `--reporter=default --reporter=json --outputFile="${report}"`,
      ].join("\n");
      // The child is a vitest of its own: none of this worker's VITEST_* variables.
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
      const r = await inNamespace(script, { ...env, NO_COLOR: "1", FORCE_COLOR: "0" }, 200_000);
      const tail = r.output.slice(-8000);
      const interfaces = r.output.slice(0, r.output.indexOf(MARK));
      // `ip -o link` prints "1: lo: <LOOPBACK,UP,…>"; only lo may exist, and it must be up.
      const names = [...interfaces.matchAll(/^\d+:\s+([^:@\s]+)/gm)].map((m) => m[1]);
      expect(names, `interfaces in the namespace:\n${interfaces}`).toEqual(["lo"]);
      expect(interfaces).toMatch(/<[^>]*\bUP\b[^>]*>/);
      expect(r.code, `the end-to-end test inside the namespace:\n${tail}`).toBe(0);
      const json = JSON.parse(readFileSync(report, "utf8")) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTotalTests: number;
      };
      expect(json.numFailedTests + json.numPendingTests, tail).toBe(0);
      expect(json.numPassedTests, tail).toBe(json.numTotalTests);
      expect(json.numTotalTests, tail).toBeGreaterThanOrEqual(4);
    } finally {
      dir.remove();
    }
  });
});
