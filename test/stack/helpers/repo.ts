/**
 * The repository as the stack sees it: the compose file, the workspaces and their manifests. Shared by the stack
 * tests (compose, Dockerfiles, env) and the end-to-end run, so every check reads the same committed files.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

export const repoPath = (...parts: string[]): string => join(ROOT, ...parts);

export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), "utf8");

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile?: string };
  readonly profiles?: readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>>;
  readonly volumes?: readonly string[];
  readonly devices?: readonly string[];
  readonly ports?: readonly string[];
  readonly user?: string;
  readonly read_only?: boolean;
  readonly restart?: string;
  readonly healthcheck?: { readonly test: readonly string[] | string };
  readonly mem_limit?: string;
  readonly logging?: { readonly driver: string; readonly options?: Readonly<Record<string, string>> };
  readonly cap_drop?: readonly string[];
  readonly security_opt?: readonly string[];
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly networks?: readonly string[];
  readonly depends_on?: Readonly<Record<string, { condition: string }>> | readonly string[];
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly networks?: Readonly<Record<string, { internal?: boolean } | null>>;
}

/** docker-compose.yml with YAML anchors and merge keys resolved, variables left as written (`${VAR:-x}`). */
export function readCompose(): ComposeFile {
  return parse(readRepoFile("docker-compose.yml"), { merge: true }) as ComposeFile;
}

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` references in a text (compose interpolation). */
export function interpolatedVariables(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/(?<!\$)\$\{([A-Z_][A-Z0-9_]*)(?:[:?-][^}]*)?\}/g)) names.add(m[1] as string);
  return names;
}

export interface Workspace {
  /** Folder relative to the root, e.g. `services/ingest`. */
  readonly dir: string;
  readonly name: string;
  readonly dependencies: readonly string[];
}

/** Every npm workspace (packages/*, services/*) with its runtime dependencies. */
export function listWorkspaces(): Workspace[] {
  const out: Workspace[] = [];
  for (const group of ["packages", "services"]) {
    for (const entry of readdirSync(repoPath(group), { withFileTypes: true })) {
      const manifest = repoPath(group, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
        name: string;
        dependencies?: Record<string, string>;
      };
      out.push({ dir: `${group}/${entry.name}`, name: pkg.name, dependencies: Object.keys(pkg.dependencies ?? {}) });
    }
  }
  return out;
}

/** The workspace folders a workspace needs at run time: its own and every `@smarty/*` dependency, transitively. */
export function workspaceClosure(dir: string, all: readonly Workspace[] = listWorkspaces()): string[] {
  const byName = new Map(all.map((w) => [w.name, w]));
  const seen = new Set<string>();
  const visit = (w: Workspace | undefined) => {
    if (!w || seen.has(w.dir)) return;
    seen.add(w.dir);
    for (const d of w.dependencies) visit(byName.get(d));
  };
  visit(all.find((w) => w.dir === dir));
  return [...seen].sort();
}
