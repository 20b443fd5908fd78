/**
 * The end-to-end run starts the services from their build (`node services/<svc>/dist/main.js`), as the images do.
 * `make test` builds first; a run on its own builds when a `dist` is missing or older than a source file of the
 * workspaces it needs. The build runs under a lock file, since the offline run and this one may ask at once.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { findBinary } from "@smarty/testkit";
import { repoPath, workspaceClosure } from "../../stack/helpers/repo.js";

const run = promisify(execFile);

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

/** The workspaces whose `dist` is missing or older than their `src`, among `dirs` and their dependencies. */
export function outdatedWorkspaces(dirs: readonly string[]): string[] {
  const all = new Set(dirs.flatMap((d) => workspaceClosure(d)));
  return [...all].filter((d) => {
    const src = newest(repoPath(d, "src"));
    const dist = newest(repoPath(d, "dist"));
    return dist === 0 || src > dist;
  });
}

/** Runs `npm run build` when one of `dirs` (or a dependency) needs it; resolves with what was outdated. */
export async function ensureBuilt(dirs: readonly string[]): Promise<string[]> {
  const outdated = outdatedWorkspaces(dirs);
  if (outdated.length === 0) return [];
  const lock = join(tmpdir(), "smarty-build.lock");
  await run(findBinary("flock"), [lock, "npm", "run", "build"], {
    cwd: repoPath(),
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return outdated;
}
