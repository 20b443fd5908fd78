/**
 * Static checks of the provisioned Grafana files: every dashboard JSON is generated (in sync with
 * grafana/generator), has a unique uid, points every query at the `${datasource}` variable, has a query in every panel, and
 * names only metrics that exist (exporter families, recording rules, Prometheus' own).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { allFamilies } from "../src/catalogue.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const GRAFANA = join(ROOT, "grafana");

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: { refId: string; expr?: string; datasource?: { uid?: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: {
    list: {
      name: string;
      type?: string;
      datasource?: { uid?: string };
      query?: unknown;
      current?: { value?: string };
    }[];
  };
}

const files = readdirSync(join(GRAFANA, "dashboards")).filter((f) => f.endsWith(".json"));
const dashboards = files.map((f) => ({
  file: f,
  d: JSON.parse(readFileSync(join(GRAFANA, "dashboards", f), "utf8")) as Dashboard,
}));
const datasourceUids = (
  parse(readFileSync(join(GRAFANA, "provisioning/datasources/prometheus.yml"), "utf8")) as {
    datasources: { uid: string }[];
  }
).datasources.map((d) => d.uid);
interface RuleFile {
  groups: { name: string; rules: { record: string; expr: string }[] }[];
}
const ruleFile = parse(readFileSync(join(ROOT, "prometheus/rules/smarty.yml"), "utf8")) as RuleFile;
const recorded = ruleFile.groups.flatMap((g) => g.rules.map((r) => r.record));

describe("Grafana dashboards", () => {
  it("are the generator's output (node grafana/generator/build.mjs)", () => {
    expect(() => execFileSync(process.execPath, [join(GRAFANA, "generator/build.mjs"), "--check"])).not.toThrow();
  });

  it("include the six dashboards with unique uids and titles", () => {
    const uids = dashboards.map(({ d }) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(new Set(dashboards.map(({ d }) => d.title)).size).toBe(uids.length);
    expect(uids.sort()).toEqual([
      "smarty-energy",
      "smarty-kiosk",
      "smarty-mbus",
      "smarty-overview",
      "smarty-phases",
      "smarty-system",
    ]);
  });

  it.each(dashboards)("$file points every panel and target at the datasource variable", ({ d }) => {
    expect(datasourceUids).toEqual(["smarty-prometheus"]);
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Importable into any Grafana: no literal uid anywhere, only the variable (defaulting to the provisioned one).
    for (const p of d.panels) {
      expect(p.datasource?.uid, p.title).toBe("${datasource}");
      expect(p.targets?.length ?? 0, `${p.title} has no query`).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        expect(t.expr?.trim(), `${p.title}/${t.refId}`).toBeTruthy();
        expect(t.datasource?.uid, `${p.title}/${t.refId}`).toBe("${datasource}");
      }
    }
    const [first, ...others] = d.templating.list;
    expect(first).toMatchObject({ type: "datasource", name: "datasource", query: "prometheus" });
    expect(first?.current?.value).toBe(datasourceUids[0]);
    for (const v of others) if (v.datasource) expect(v.datasource.uid, v.name).toBe("${datasource}");
    const uids = [...JSON.stringify(d).matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]);
    expect(uids.filter((u) => u !== d.uid && u !== "${datasource}")).toEqual([]);
  });

  it.each(dashboards)("$file refers only to metrics and variables that exist", ({ d }) => {
    const known = new Set([...allFamilies().map((f) => f.name), ...recorded]);
    const variables = new Set(d.templating.list.map((v) => v.name));
    for (const p of d.panels) {
      for (const t of p.targets ?? []) {
        const expr = t.expr ?? "";
        for (const name of expr.match(/\b(?:smarty_[a-z0-9_]+|[a-z_]+:smarty_[a-z0-9_]+:[a-z0-9_]+)\b/g) ?? []) {
          expect(known, `${p.title}: ${name}`).toContain(name);
        }
        for (const [, v] of expr.matchAll(/\$([a-z_]+)/g)) {
          if (!v?.startsWith("__")) expect(variables, `${p.title}: $${v}`).toContain(v);
        }
      }
    }
  });
});

describe("recording rules", () => {
  it("are all covered by a promtool unit test", () => {
    const tests = readFileSync(join(ROOT, "prometheus/tests/rules_test.yml"), "utf8");
    const exprs = (parse(tests) as { tests: { promql_expr_test: { expr: string }[] }[] }).tests.flatMap((t) =>
      t.promql_expr_test.map((e) => e.expr),
    );
    for (const record of recorded) expect(exprs, record).toContain(record);
  });

  it("build only on metrics the exporter writes and on each other", () => {
    const known = new Set([...allFamilies().map((f) => f.name), ...recorded]);
    for (const rule of ruleFile.groups.flatMap((g) => g.rules)) {
      const names = rule.expr.match(/[a-z_:]*smarty_[a-z0-9_:]+/g) ?? [];
      expect(names.length, rule.record).toBeGreaterThan(0);
      for (const name of names) expect(known, `${rule.record}: ${name}`).toContain(name);
    }
  });
});
