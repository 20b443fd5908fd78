/**
 * `make demo` as a user runs it: scripts/demo.mjs starts the embedded broker, the simulator and the built services
 * (and Prometheus), prints its URLs, serves a live reading on each, and stops everything on Ctrl-C (SIGINT) with
 * exit code 0. Needs the build (`make test` builds first).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { waitFor, waitForPort } from "@smarty/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, repoPath } from "./helpers/repo.js";

const BUILT = ["packages/cli", "services/ingest", "services/exporter", "services/display"];
let demo: ChildProcess | undefined;
let output = "";

afterAll(() => {
  if (demo && demo.exitCode === null) demo.kill("SIGKILL");
});

function url(label: string): string {
  const m = new RegExp(`${label}\\s+(http://\\S+)`).exec(output);
  if (!m) throw new Error(`no ${label} URL in the demo output:\n${output}`);
  return m[1] as string;
}

describe("make demo (scripts/demo.mjs)", () => {
  it("serves a live reading on the display, /metrics and Prometheus, and stops cleanly on Ctrl-C", async () => {
    const unbuilt = BUILT.filter((d) => !existsSync(repoPath(d, "dist", "main.js")));
    expect(unbuilt, "run `npm run build` first").toEqual([]);
    const ports = ["mqtt", "simulator", "ingest", "metrics", "display", "prometheus"].flatMap((p) => [
      `--${p}-port`,
      "0",
    ]);
    const child = spawn(process.execPath, ["scripts/demo.mjs", ...ports], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    demo = child;
    child.stdout?.on("data", (b: Buffer) => {
      output += b.toString();
    });
    child.stderr?.on("data", (b: Buffer) => {
      output += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    await waitFor(() => output.includes("Press Ctrl-C to stop."), 60_000, "the demo banner");
    const display = url("In Home Display");
    const metrics = url("Metrics");
    const prometheus = url("Prometheus");

    const meters = (await (await fetch(new URL("api/meters", display))).json()) as { meters: { id: string }[] };
    expect(meters.meters.map((m) => m.id)).toEqual(["SAG1030700012701"]);
    const text = await (await fetch(metrics)).text();
    expect(text).toMatch(/^smarty_power_imported_watts\{meter="SAG1030700012701"\} \d+/m);
    await waitFor(
      async () => {
        const r = await fetch(new URL('api/v1/query?query=up{job="exporter"}', prometheus));
        const body = (await r.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result[0]?.value[1] === "1";
      },
      30_000,
      "Prometheus scraping the exporter",
    );

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("[demo] stopped");
    const port = Number(new URL(display).port);
    await expect(waitForPort(port, 500)).rejects.toThrow(/timed out/);
  });
});
