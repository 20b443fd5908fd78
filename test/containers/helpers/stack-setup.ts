/**
 * What the container test brings up and how it is configured: the services of docker-compose.yml with the demo and
 * notify profiles except Grafana (no Debian package can stand in for it; its provisioning is proven by the PromQL
 * tests), a `.env` written by `make env`'s own script plus what a user would add, free host ports, and the memory
 * table printed at the end.
 */
import { execFile } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "@smarty/testkit";
import type { readCompose } from "../../stack/helpers/repo.js";
import { ROOT } from "../../stack/helpers/repo.js";

const run = promisify(execFile);

export const STACK_SERVICES = [
  "mosquitto",
  "simulator",
  "ingest-demo",
  "exporter",
  "display",
  "prometheus",
  "redis",
  "notifier",
];

/** Free loopback ports for every published port of the compose file. */
export async function freeHostPorts(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of ["MQTT_HOST_PORT", "DISPLAY_HOST_PORT", "PROMETHEUS_HOST_PORT", "GRAFANA_HOST_PORT"]) {
    out[name] = String(await freePort());
  }
  return out;
}

/** `.env` at `target` as `make env` writes it (scripts/init-env.mjs), then `extra` appended; returns every value. */
export async function makeDotEnv(target: string, extra: Record<string, string>): Promise<Record<string, string>> {
  await run(process.execPath, [join(ROOT, "scripts/init-env.mjs"), target], { cwd: ROOT });
  appendFileSync(
    target,
    `\n${Object.entries(extra)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  const values: Record<string, string> = {};
  for (const line of readFileSync(target, "utf8").split("\n")) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) values[m[1] as string] = m[2] as string;
  }
  return values;
}

export interface MemoryRow {
  readonly service: string;
  readonly used: number;
  readonly limit: number;
}

const MIB = 1024 * 1024;

/** `mem_limit` ("96m", "1g") in bytes. */
export function parseMemLimit(text: string | undefined): number {
  const m = /^(\d+)([kmg]?)b?$/i.exec(String(text ?? "").trim());
  if (!m) return Number.POSITIVE_INFINITY;
  const unit = { "": 1, k: 1024, m: MIB, g: 1024 * MIB }[(m[2] as string).toLowerCase() as "" | "k" | "m" | "g"];
  return Number(m[1]) * unit;
}

/** The memory each service uses against its compose limit, as rows and as a Markdown table. */
export function memoryTable(
  used: ReadonlyMap<string, number>,
  compose: ReturnType<typeof readCompose>,
): { rows: MemoryRow[]; text: string } {
  const rows = STACK_SERVICES.filter((s) => used.has(s)).map((service) => ({
    service,
    used: used.get(service) as number,
    limit: parseMemLimit(compose.services[service]?.mem_limit),
  }));
  const lines = [
    "| container | memory | mem_limit | share |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.service} | ${(r.used / MIB).toFixed(1)} MiB | ${(r.limit / MIB).toFixed(0)} MiB | ${Math.round((100 * r.used) / r.limit)} % |`,
    ),
  ];
  return { rows, text: lines.join("\n") };
}
