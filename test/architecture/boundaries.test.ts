/**
 * The boundaries of docs/architecture.md, checked on every import of the repository: services never import another
 * service, packages never import a service, `packages/p1` imports nothing of ours, every `@smarty/*` import is
 * declared in the importing workspace's package.json (src/ from "dependencies", tests also from
 * "devDependencies"), no relative import leaves its workspace (a test may run scripts/), no test imports another workspace's test files,
 * and a service's unit tests test the service (a package's tests live with the package).
 * Reads the source text only: no build, no daemon.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SKIP_DIRS = new Set(["node_modules", "dist", "fixtures", "public"]);
const SOURCE = /\.(ts|mts|js|mjs)$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

interface Workspace {
  readonly dir: string;
  readonly name: string;
  readonly kind: "package" | "service";
  readonly dependencies: ReadonlySet<string>;
  readonly devDependencies: ReadonlySet<string>;
}

function workspaces(): Workspace[] {
  return ["packages", "services"].flatMap((group) =>
    readdirSync(join(ROOT, group)).map((entry) => {
      const dir = join(group, entry);
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8")) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      return {
        dir,
        name: manifest.name,
        kind: group === "packages" ? "package" : "service",
        dependencies: new Set(Object.keys(manifest.dependencies ?? {})),
        devDependencies: new Set(Object.keys(manifest.devDependencies ?? {})),
      } as const;
    }),
  );
}

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : files(join(dir, e.name));
    return SOURCE.test(e.name) && !e.name.endsWith(".d.ts") ? [join(dir, e.name)] : [];
  });
}

interface Import {
  readonly file: string;
  readonly specifier: string;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(IMPORT)].map((m) => ({ file, specifier: m[1]! }));
}

/** `@smarty/ingest-core/x` → `@smarty/ingest-core`. */
const packageName = (specifier: string) => specifier.split("/").slice(0, 2).join("/");
const isTest = (file: string) => file.split(sep).includes("test");
const within = (file: string, dir: string) => file === dir || file.startsWith(dir + sep);
const target = (i: Import) => relative(ROOT, resolve(ROOT, dirname(i.file), i.specifier));
const show = (i: Import) => `${i.file}: ${i.specifier}`;

/** The table of docs/architecture.md: the parts of ours each workspace's src/ may import. */
const ALLOWED: Record<string, readonly string[]> = {
  "@smarty/p1": [],
  "@smarty/i18n": [],
  "@smarty/contracts": ["p1"],
  "@smarty/service-kit": ["contracts"],
  "@smarty/simulator": ["p1"],
  "@smarty/ingest-core": ["p1", "contracts", "service-kit"],
  "@smarty/cli": ["p1", "contracts", "simulator", "ingest-core"],
  "@smarty/testkit": ["p1"],
  "@smarty/ingest": ["ingest-core", "p1", "contracts", "service-kit"],
  "@smarty/exporter": ["p1", "contracts", "service-kit"],
  "@smarty/display": ["p1", "contracts", "service-kit", "i18n"],
  "@smarty/notifier": ["p1", "contracts", "service-kit", "i18n"],
};
/** What tests may use besides their workspace's own parts. */
const TEST_ONLY = ["@smarty/testkit", "@smarty/simulator"];

const ALL = workspaces();
const BY_NAME = new Map(ALL.map((w) => [w.name, w]));
const IN_WORKSPACES = ALL.flatMap((w) => files(w.dir).map((f) => ({ workspace: w, imports: importsOf(f) })));
const ROOT_TESTS = files("test").flatMap(importsOf);

describe("boundaries between the parts", () => {
  it("finds the workspaces and their imports", () => {
    expect(ALL.map((w) => w.name)).toEqual(expect.arrayContaining(["@smarty/p1", "@smarty/ingest", "@smarty/cli"]));
    expect(IN_WORKSPACES.flatMap((f) => f.imports).length).toBeGreaterThan(500);
  });

  it("services never import another service, and packages never import a service", () => {
    const bad = IN_WORKSPACES.flatMap(({ workspace, imports }) =>
      imports.filter((i) => {
        const other = BY_NAME.get(packageName(i.specifier));
        return other !== undefined && other !== workspace && other.kind === "service";
      }),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it("packages/p1 imports nothing of ours: it is the pure codec", () => {
    const p1 = IN_WORKSPACES.filter((f) => f.workspace.name === "@smarty/p1");
    const bad = p1.flatMap((f) => f.imports.filter((i) => i.specifier.startsWith("@smarty/")));
    expect(bad.map(show)).toEqual([]);
    expect([...BY_NAME.get("@smarty/p1")!.dependencies].filter((d) => d.startsWith("@smarty/"))).toEqual([]);
  });

  it("each workspace declares only the parts that docs/architecture.md allows it", () => {
    const ours = (names: ReadonlySet<string>) => [...names].filter((n) => n.startsWith("@smarty/")).sort();
    expect(ALL.map((w) => w.name).sort()).toEqual(Object.keys(ALLOWED).sort());
    for (const w of ALL) {
      const allowed = (ALLOWED[w.name] ?? []).map((n) => `@smarty/${n}`);
      expect(
        ours(w.dependencies).filter((n) => !allowed.includes(n)),
        `${w.dir} "dependencies"`,
      ).toEqual([]);
      expect(
        ours(w.devDependencies).filter((n) => !allowed.includes(n) && !TEST_ONLY.includes(n)),
        `${w.dir} "devDependencies"`,
      ).toEqual([]);
    }
  });

  it("every @smarty/* import is declared in the importing workspace's package.json", () => {
    const bad = IN_WORKSPACES.flatMap(({ workspace, imports }) =>
      imports.filter((i) => {
        const name = packageName(i.specifier);
        if (!name.startsWith("@smarty/") || name === workspace.name) return false;
        return !(workspace.dependencies.has(name) || (isTest(i.file) && workspace.devDependencies.has(name)));
      }),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it("no relative import leaves its workspace", () => {
    const bad = IN_WORKSPACES.flatMap(({ workspace, imports }) =>
      imports.filter(
        // A test may run the repository's own scripts (the docs generators in scripts/).
        (i) =>
          i.specifier.startsWith(".") &&
          !within(target(i), workspace.dir) &&
          !(isTest(i.file) && within(target(i), "scripts")),
      ),
    );
    expect(bad.map(show)).toEqual([]);
  });

  it("a service's unit test that uses a part of ours also imports the service's own code (else it belongs to that part)", () => {
    const bad = IN_WORKSPACES.filter(({ workspace, imports }) => {
      const file = imports[0]?.file ?? "";
      if (workspace.kind !== "service" || !file.endsWith(".test.ts") || file.split(sep).includes("integration")) {
        return false;
      }
      const ours = (i: Import) => i.specifier.startsWith("@smarty/") && !TEST_ONLY.includes(packageName(i.specifier));
      const own = (i: Import) =>
        packageName(i.specifier) === workspace.name ||
        (i.specifier.startsWith(".") && within(target(i), join(workspace.dir, "src")));
      return imports.some(ours) && !imports.some(own);
    });
    expect(bad.map((f) => f.imports[0]!.file)).toEqual([]);
  });

  it("tests never import another workspace's test files (shared helpers live in packages/testkit)", () => {
    const testDirs = ALL.map((w) => join(w.dir, "test"));
    const bad = ROOT_TESTS.filter((i) => i.specifier.startsWith(".") && testDirs.some((d) => within(target(i), d)));
    expect(bad.map(show)).toEqual([]);
  });
});
