/**
 * prometheus/prometheus.yml as committed, rewritten only where a container address cannot work on loopback: the
 * scrape targets (`exporter:9464`, `localhost:9090`) and the rule file glob (relative to /etc/prometheus in the
 * container, absolute here). Intervals stay as committed, so the first sample takes one scrape interval.
 */
import { parse, stringify } from "yaml";
import { readRepoFile, repoPath } from "../../stack/helpers/repo.js";

interface ScrapeJob {
  job_name: string;
  static_configs: { targets: string[] }[];
}

export function stackPrometheusConfig(exporterPort: number, prometheusPort: number): string {
  const config = parse(readRepoFile("prometheus", "prometheus.yml")) as {
    rule_files: string[];
    scrape_configs: ScrapeJob[];
  };
  config.rule_files = config.rule_files.map((f) => repoPath("prometheus", f));
  const ports: Record<string, number> = { "exporter:9464": exporterPort, "localhost:9090": prometheusPort };
  for (const job of config.scrape_configs) {
    for (const sc of job.static_configs) {
      sc.targets = sc.targets.map((t) => {
        const port = ports[t];
        if (port === undefined) throw new Error(`prometheus.yml: no loopback address for target ${t}`);
        return `127.0.0.1:${port}`;
      });
    }
  }
  return stringify(config);
}
