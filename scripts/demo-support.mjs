/**
 * Helpers of scripts/demo.mjs: find a daemon, wait for a condition, Prometheus's configuration for the demo (the
 * committed prometheus/prometheus.yml with only the scrape targets and rule paths moved to this machine), and the
 * length of the history (DEMO_HISTORY).
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Absolute path of an executable in PATH or the sbin folders, or undefined. */
export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), "/usr/sbin", "/usr/bin", "/usr/local/bin"];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // next folder
    }
  }
  return undefined;
}

/** Polls `check` every 200 ms until it is truthy; throws after `timeoutMs`. */
export async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/**
 * Writes `<dir>/prometheus.yml`: the committed configuration with the compose host names replaced by loopback
 * ports (`exporter:<port>` → the demo exporter, `prometheus`/`localhost:9090` → the demo Prometheus) and rule files
 * read from ./prometheus. Without a committed file, a minimal scrape of the exporter every 10 s.
 */
export function prometheusConfig(dir, { metricsPort, prometheusPort }) {
  const committed = join(ROOT, "prometheus", "prometheus.yml");
  const config = existsSync(committed)
    ? parse(readFileSync(committed, "utf8"))
    : {
        global: { scrape_interval: "10s" },
        scrape_configs: [{ job_name: "smarty", static_configs: [{ targets: [] }] }],
      };
  if (!existsSync(committed)) config.scrape_configs[0].static_configs[0].targets.push("exporter:9464");
  for (const job of config.scrape_configs ?? []) {
    for (const sc of job.static_configs ?? []) {
      sc.targets = (sc.targets ?? []).map((t) => {
        const host = t.split(":")[0];
        if (host === "exporter") return `127.0.0.1:${metricsPort}`;
        if (host === "prometheus" || t === "localhost:9090") return `127.0.0.1:${prometheusPort}`;
        return t;
      });
    }
  }
  const rulesDir = join(ROOT, "prometheus");
  // The compose file mounts ./prometheus at /etc/prometheus.
  config.rule_files = (config.rule_files ?? []).map((f) =>
    f.startsWith("/etc/prometheus/") ? join(rulesDir, f.slice(16)) : isAbsolute(f) ? f : join(rulesDir, f),
  );
  // Keep only rule globs that match something, so a fresh checkout without rules still starts.
  config.rule_files = config.rule_files.filter((f) => {
    const folder = dirname(f);
    return existsSync(folder) && readdirSync(folder).length > 0;
  });
  const out = join(dir, "prometheus.yml");
  writeFileSync(out, stringify(config));
  return out;
}

/** `7d`, `36h`, `90m` → milliseconds; "" or "0" → 0 (no history). Throws on anything else. */
export function historyMs(text) {
  const t = (text ?? "").trim();
  if (t === "" || t === "0") return 0;
  const m = /^(\d+(?:\.\d+)?)(d|h|m)$/.exec(t);
  const ms = m ? Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2]] : Number.NaN;
  if (!(ms > 0) || ms > 60 * 86_400_000)
    throw new Error(`DEMO_HISTORY / --history must be like 7d, 36h or 90m (at most 60d), not '${t}'`);
  return ms;
}
