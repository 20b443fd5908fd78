/**
 * History for a Prometheus that was not running at the time: the exporter's real /metrics text, scraped at known
 * instants, written as one OpenMetrics file with those instants as sample timestamps and turned into TSDB blocks by
 * `promtool tsdb create-blocks-from openmetrics` (Prometheus' documented backfill). Only the families a test names
 * are kept. Queries then go through the HTTP API the way Grafana sends them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Prometheus, type PromSample, promtool, tempDir } from "@smarty/testkit";

interface Family {
  type: string;
  readonly series: Map<string, [number, string][]>;
}

export class History {
  private readonly families = new Map<string, Family>();

  constructor(private readonly keep: (name: string) => boolean) {}

  /** Adds one scrape of Prometheus text format 0.0.4 taken at `t` (ms). */
  add(t: number, text: string): void {
    const types = new Map<string, string>();
    for (const line of text.split("\n")) {
      const typeLine = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (typeLine) types.set(typeLine[1] as string, typeLine[2] as string);
      if (line === "" || line.startsWith("#")) continue;
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
      if (!m || !this.keep(m[1] as string)) continue;
      const name = m[1] as string;
      const family = this.families.get(name) ?? { type: types.get(name) ?? "gauge", series: new Map() };
      this.families.set(name, family);
      const key = `${name}${m[2] ?? ""}`;
      const points = family.series.get(key) ?? [];
      family.series.set(key, points);
      points.push([t / 1000, m[3] as string]);
    }
  }

  /** OpenMetrics: each family once, its series together, counters declared without their `_total`. */
  openMetrics(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) {
      out.push(`# TYPE ${f.type === "counter" ? name.replace(/_total$/, "") : name} ${f.type}`);
      for (const [key, points] of f.series) for (const [ts, v] of points) out.push(`${key} ${v} ${ts}`);
    }
    return `${out.join("\n")}\n# EOF\n`;
  }

  /** Writes the blocks into `tsdbPath` (Prometheus' data directory, before it starts). */
  backfill(tsdbPath: string): void {
    const dir = tempDir("openmetrics");
    try {
      const file = join(dir.path, "history.om");
      writeFileSync(file, this.openMetrics());
      // Blocks of up to 32 days: with the default 2 h, promtool reads the file once per block (hundreds of times).
      const args = ["--quiet", "--max-block-duration=768h", file, tsdbPath];
      const r = promtool(["tsdb", "create-blocks-from", "openmetrics", ...args]);
      if (r.code !== 0) throw new Error(`promtool backfill failed: ${r.stdout}${r.stderr}`);
    } finally {
      dir.remove();
    }
  }
}

/**
 * A range query as Grafana sends it: start and end rounded down to the step, shifted by the dashboard time zone's
 * UTC offset (Grafana's Prometheus datasource, `AlignTimeRange`), so a 1-day step falls on local midnight.
 */
export async function grafanaRange(
  prom: Prometheus,
  expr: string,
  fromMs: number,
  toMs: number,
  stepS: number,
  utcOffsetS: number,
): Promise<PromSample[]> {
  const align = (ms: number) => Math.floor((ms / 1000 + utcOffsetS) / stepS) * stepS - utcOffsetS;
  const params = new URLSearchParams({
    query: expr,
    start: String(align(fromMs)),
    end: String(align(toMs)),
    step: String(stepS),
  });
  const res = await fetch(`${prom.url}/api/v1/query_range`, { method: "POST", body: params });
  const body = (await res.json()) as { status: string; data?: { result: PromSample[] }; error?: string };
  if (body.status !== "success" || !body.data) throw new Error(`${body.error ?? res.status} (query: ${expr})`);
  return body.data.result;
}

/** The single value of an instant query at `atMs`. */
export async function instantValue(prom: Prometheus, expr: string, atMs: number): Promise<number | undefined> {
  const r = await prom.query(expr, atMs / 1000);
  const samples = r.result as PromSample[];
  if (samples.length > 1) throw new Error(`more than one series for ${expr}`);
  return samples[0]?.value ? Number(samples[0].value[1]) : undefined;
}
