/**
 * `make env` (scripts/init-env.mjs) and the docs agree that .env, which holds the P1 key and every password, is
 * readable by its owner only (0600): a new one is created so, one made by `cp .env.example .env` (0644 under the
 * usual umask) is fixed with a warning and left otherwise untouched, and every `cp` in the docs is followed by
 * `chmod 600`.
 */
import { execFile } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { tempDir } from "@smarty/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, readRepoFile } from "./helpers/repo.js";

const run = promisify(execFile);
const dir = tempDir("init-env");
afterAll(() => dir.remove());

const mode = (path: string) => statSync(path).mode & 0o777;
const initEnv = (target: string) =>
  run(process.execPath, ["scripts/init-env.mjs", target], { cwd: ROOT }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

describe("make env (scripts/init-env.mjs)", () => {
  it("creates .env readable by its owner only, with random passwords", async () => {
    const target = join(dir.path, "new.env");
    const r = await initEnv(target);
    expect(r.code).toBe(0);
    expect(mode(target)).toBe(0o600);
    expect(readFileSync(target, "utf8")).toMatch(/^MQTT_INGEST_PASSWORD=[0-9a-f]{32}$/m);
  });

  it("makes an existing world-readable .env 0600 with a warning, and leaves its content alone", async () => {
    const target = join(dir.path, "copied.env");
    writeFileSync(target, "SMARTY_KEY=0123456789ABCDEF0123456789ABCDEF\n");
    chmodSync(target, 0o644);
    const r = await initEnv(target);
    expect(r.code).toBe(0);
    expect(mode(target)).toBe(0o600);
    expect(r.stderr).toMatch(/readable by other users.*now 0600/);
    expect(readFileSync(target, "utf8")).toBe("SMARTY_KEY=0123456789ABCDEF0123456789ABCDEF\n");
    const again = await initEnv(target);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/readable by other users/);
  });

  it("is what the docs say: every `cp .env.example .env` is followed by `chmod 600 .env`", () => {
    const docs = ["README.md", "config/README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)];
    for (const file of docs.filter((f) => f.endsWith(".md"))) {
      for (const m of readRepoFile(file).matchAll(/cp \.env\.example \.env[^\n]*\n?[^\n]*/g)) {
        expect(m[0], `${file}: ${m[0]}`).toMatch(/chmod 600 \.env/);
      }
    }
    expect(readRepoFile("README.md")).toMatch(/make env/);
  });
});
