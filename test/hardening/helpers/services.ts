/**
 * The built services as real processes for the hardening tests: start one with an environment, read its pino
 * lines, its resident memory and its HTTP endpoints. Needs the build (`npm run build`).
 */
import { existsSync, readFileSync } from "node:fs";
import type { Reading } from "@smarty/p1";
import { type Daemon, freePort, spawnDaemon, untilReady, waitFor } from "@smarty/testkit";
import { buildReading } from "@smarty/testkit/reading-builder";
import { ROOT, repoPath } from "../../stack/helpers/repo.js";

export type ServiceName = "ingest" | "exporter" | "display" | "notifier";

/** The variable holding each service's HTTP port; the notifier has none. */
const PORT_VARIABLE: Readonly<Record<ServiceName, string | undefined>> = {
  ingest: "INGEST_HTTP_PORT",
  exporter: "EXPORTER_PORT",
  display: "DISPLAY_PORT",
  notifier: undefined,
};

export interface RunningService {
  readonly name: ServiceName;
  readonly daemon: Daemon;
  /** `http://127.0.0.1:<port>`, or "" for the notifier. */
  readonly http: string;
  readonly pid: number;
  /** Parsed pino lines written so far (non-JSON lines are kept as `{ msg: line }`). */
  logLines(): LogLine[];
  alive(): boolean;
  stop(): Promise<void>;
}

export interface LogLine {
  readonly level?: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

export async function startService(name: ServiceName, env: Record<string, string>): Promise<RunningService> {
  const main = repoPath("services", name, "dist", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const portVariable = PORT_VARIABLE[name];
  const port = portVariable ? await freePort() : 0;
  const fullEnv: Record<string, string> = { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env };
  if (portVariable) fullEnv[portVariable] = String(port);
  const host = name === "exporter" ? "EXPORTER_HOST" : name === "display" ? "DISPLAY_HOST" : undefined;
  if (host) fullEnv[host] = "127.0.0.1";
  const daemon = spawnDaemon(name, process.execPath, [main], { cwd: ROOT, env: fullEnv });
  const http = port ? `http://127.0.0.1:${port}` : "";
  if (http) {
    await untilReady(
      daemon,
      waitFor(
        () =>
          fetch(`${http}/healthz`).then(
            (r) => r.status < 500,
            () => false,
          ),
        20_000,
        `${name} /healthz`,
      ),
    );
  }
  return {
    name,
    daemon,
    http,
    pid: daemon.child.pid ?? -1,
    logLines: () => parseLines(daemon.output()),
    alive: () => daemon.child.exitCode === null && daemon.child.signalCode === null,
    stop: () => daemon.stop(),
  };
}

export function parseLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return { msg: l };
      }
    });
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** One sample of a Prometheus text exposition, or undefined when absent. */
export function sampleValue(exposition: string, series: string): number | undefined {
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/**
 * A reading as ingest publishes it, made by the testkit reading builder (p1 encoder and parser) from named values,
 * so that the fuzz tests start from a payload that passes the contract. `powerKw` is the 1-0:1.7.0 value.
 */
export function readingFor(meterId: string, powerKw: number, timeMs = Date.UTC(2026, 0, 15, 12)): Reading {
  return buildReading({
    base: "none",
    meterId,
    time: timeMs,
    values: { energy_import_kwh: 1234.567, energy_export_kwh: 12.5, power_import_kw: powerKw, power_export_kw: 0 },
  });
}
