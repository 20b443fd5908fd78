/**
 * A real Prometheus (Debian package) on a free loopback port with a temporary config and TSDB, plus `promtool`.
 * The first scrape happens about 6 s after start even with a 1 s interval (target discovery runs on a 5 s tick,
 * toolchain notes), so callers poll with `waitForSample` instead of sleeping.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Daemon, findBinary, freePort, spawnDaemon, tempDir, untilReady, waitFor } from "./process.js";

export interface PrometheusOptions {
  /** prometheus.yml text; a function receives the port Prometheus will listen on (for a self-scrape job). */
  readonly config: string | ((port: number) => string);
  /** Extra files written next to prometheus.yml (rule files), by relative name. */
  readonly files?: Readonly<Record<string, string>>;
  /** Extra command-line flags, e.g. `--web.enable-remote-write-receiver`. */
  readonly args?: readonly string[];
  /** Called with the (empty) TSDB directory before Prometheus starts, e.g. to put backfilled blocks there. */
  readonly seed?: (tsdbPath: string) => void;
}

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: [number, string][];
}

export interface PromQueryResult {
  readonly resultType: "vector" | "matrix" | "scalar" | "string";
  readonly result: PromSample[] | [number, string];
}

export class PromQueryError extends Error {
  constructor(
    readonly expr: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`${errorType}: ${message} (query: ${expr})`);
    this.name = "PromQueryError";
  }
}

export interface Prometheus {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  output(): string;
  /** Instant query through the HTTP API; throws PromQueryError on a PromQL error. */
  query(expr: string, time?: number): Promise<PromQueryResult>;
  /** Polls until `expr` returns at least one sample (default 15 s). */
  waitForSample(expr: string, timeoutMs?: number): Promise<PromSample[]>;
  stop(): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const bin = findBinary("prometheus");
  const dir = tempDir("prometheus");
  const port = await freePort();
  const configFile = join(dir.path, "prometheus.yml");
  writeFileSync(configFile, typeof options.config === "function" ? options.config(port) : options.config);
  for (const [name, text] of Object.entries(options.files ?? {})) writeFileSync(join(dir.path, name), text);
  const tsdbPath = join(dir.path, "data");
  if (options.seed) {
    mkdirSync(tsdbPath);
    options.seed(tsdbPath);
  }
  const url = `http://127.0.0.1:${port}`;
  const daemon: Daemon = spawnDaemon("prometheus", bin, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${tsdbPath}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--log.level=warn",
    ...(options.args ?? []),
  ]);
  await untilReady(
    daemon,
    waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, 15_000, "prometheus ready"),
  );

  const query = async (expr: string, time?: number): Promise<PromQueryResult> => {
    const params = new URLSearchParams({ query: expr });
    if (time !== undefined) params.set("time", String(time));
    const res = await fetch(`${url}/api/v1/query`, { method: "POST", body: params });
    const body = (await res.json()) as { status: string; data?: PromQueryResult; errorType?: string; error?: string };
    if (body.status !== "success" || !body.data) {
      throw new PromQueryError(expr, body.errorType ?? String(res.status), body.error ?? "query failed");
    }
    return body.data;
  };

  return {
    port,
    url,
    dir: dir.path,
    output: () => daemon.output(),
    query,
    waitForSample: (expr, timeoutMs = 15_000) =>
      waitFor(
        async () => {
          const r = await query(expr);
          return Array.isArray(r.result) && r.result.length > 0 && typeof r.result[0] === "object"
            ? (r.result as PromSample[])
            : undefined;
        },
        timeoutMs,
        `a sample of ${expr}`,
        250,
      ),
    async stop() {
      await daemon.stop();
      dir.remove();
    },
  };
}

export interface PromtoolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `promtool <args>` with optional stdin (e.g. `check metrics`); never throws on a non-zero exit. */
export function promtool(args: readonly string[], input?: string, cwd?: string): PromtoolResult {
  const r = spawnSync(findBinary("promtool"), args, { input, cwd, encoding: "utf8", timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
