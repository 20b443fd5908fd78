/**
 * What the images install: `npm ci --omit=dev --workspace <service>` brings the service's own dependencies and the
 * root manifest's "dependencies". So every package a workspace's src imports must be declared by that workspace
 * (not found by luck through the hoisted node_modules), and the root holds only tools of development and tests.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/repo.js";

interface Manifest {
  readonly name: string;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

const manifest = (dir: string) => JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) as Manifest;
/** testkit serves the tests only; the clients of its daemons are root devDependencies. */
const workspaces = ["packages", "services"]
  .flatMap((d) => readdirSync(join(ROOT, d)).map((w) => `${d}/${w}`))
  .filter((w) => w !== "packages/testkit");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith(".d.ts") ? [path] : [];
  });
}

/** Package names a file imports (static, dynamic and type-only imports and re-exports). */
function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"'./][^"']*)["']/gm,
    /^\s*import\s*["']([^"'./][^"']*)["']/gm,
    /\bimport\(\s*["']([^"'./][^"']*)["']\s*\)/g,
  ];
  const names = patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[1] as string));
  return names.map((n) => (n.startsWith("@") ? n.split("/").slice(0, 2).join("/") : (n.split("/")[0] as string)));
}

describe("dependencies", () => {
  it.each(workspaces)("%s declares every package its src imports", (workspace) => {
    const m = manifest(workspace);
    const declared = new Set(Object.keys(m.dependencies ?? {}));
    const missing = new Set<string>();
    for (const file of sources(join(ROOT, workspace, "src"))) {
      for (const name of imports(file)) {
        if (name.startsWith("node:") || builtinModules.includes(name) || declared.has(name)) continue;
        missing.add(`${name} (${file.slice(ROOT.length + 1)})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it("keeps the root manifest free of runtime dependencies (only dev tools; images omit them)", () => {
    expect(manifest(".").dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest(".").devDependencies ?? {})).toEqual(expect.arrayContaining(["aedes", "yaml"]));
  });
});
