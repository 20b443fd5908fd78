/**
 * The one Dockerfile without a Docker engine: dockerfile-utils lints it, and the checks below hold it to the house
 * rules: one pinned Node 24 LTS base (Node 22 LTS on armv7), every workspace manifest for `npm ci`, one build stage
 * that does not depend on SERVICE (so every image shares it), only production dependencies and built output in the
 * final stage, a fixed non-root uid, exec-form entry point and the service's own healthcheck. That the images build,
 * start and turn healthy is proven with a real engine in test/containers.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { listWorkspaces, readCompose, readRepoFile, repoPath } from "./helpers/repo.js";

const run = promisify(execFile);
const text = readRepoFile("Dockerfile");
const workspaces = listWorkspaces();
const IMAGES = ["ingest", "exporter", "display", "notifier", "cli"];

/** Instructions with continuation lines joined. */
function instructions(source: string): string[] {
  return source
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
}

/** Instructions by stage name (the stage's FROM line first). */
function stages(source: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] = [];
  let n = 0;
  for (const line of instructions(source)) {
    if (line.startsWith("FROM ")) {
      current = [line];
      out.set(/ AS ([\w-]+)$/.exec(line)?.[1] ?? `#${n++}`, current);
    } else current.push(line);
  }
  return out;
}

describe("the Dockerfile", () => {
  const all = stages(text);
  const final = [...all.values()].at(-1) ?? [];

  it("passes dockerfile-utils lint", () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("takes Node from one pinned base, Node 22 LTS on armv7, with a fallback for the legacy builder", () => {
    expect(text).toMatch(/^ARG NODE_VERSION=24\.\d+\.\d+$/m);
    expect(text).toMatch(/^ARG NODE_VERSION_ARMV7=22\.\d+\.\d+$/m);
    const froms = instructions(text).filter((l) => l.startsWith("FROM "));
    expect(froms.slice(0, 4)).toEqual([
      "FROM node:${NODE_VERSION}-bookworm-slim AS node-amd64",
      "FROM node:${NODE_VERSION}-bookworm-slim AS node-arm64",
      "FROM node:${NODE_VERSION_ARMV7}-bookworm-slim AS node-armv7",
      "FROM node-${TARGETARCH:-amd64}${TARGETVARIANT} AS node",
    ]);
    expect(froms.at(-1)).toBe("FROM ${DEBIAN_IMAGE}");
    expect(final).toContain("COPY --from=node /usr/local/bin/node /usr/local/bin/node");
  });

  it("copies every workspace manifest so npm ci sees the whole lock file", () => {
    for (const w of workspaces) expect(text, w.dir).toContain(`COPY ${w.dir}/package.json ${w.dir}/`);
    expect(text).toContain("COPY package.json package-lock.json ./");
  });

  it("compiles the whole workspace once, in a stage that does not depend on SERVICE", () => {
    const build = (all.get("build") ?? []).join("\n");
    expect(build).toContain("RUN npx tsc -b tsconfig.build.json");
    expect(build).not.toContain("SERVICE");
    expect((all.get("manifests") ?? []).join("\n")).not.toContain("SERVICE");
  });

  it("ships production dependencies and built output only, as a fixed non-root uid with an exec-form entry", () => {
    const assemble = (all.get("assemble") ?? []).join("\n");
    expect(assemble).toContain("--omit=dev --workspace");
    expect(final.filter((l) => l.startsWith("COPY "))).toEqual([
      "COPY --from=node /usr/local/bin/node /usr/local/bin/node",
      "COPY --from=assemble /out/ /app/",
    ]);
    expect(final).toContain("ENV NODE_ENV=production");
    const user = final.findIndex((l) => /^USER [1-9]\d*:[1-9]\d*$/.test(l));
    const entry = final.indexOf('ENTRYPOINT ["node", "/app/main.js"]');
    expect(user).toBeGreaterThan(0);
    expect(entry).toBeGreaterThan(user);
    expect(final.find((l) => l.startsWith("HEALTHCHECK"))).toMatch(/CMD \["node", "\/app\/healthcheck\.js"\]$/);
  });

  it("is what docker-compose.yml builds for every Node service, with an image name to pull instead", () => {
    const compose = readCompose();
    for (const [name, svc] of Object.entries(compose.services)) {
      if (!svc.build) continue;
      expect(svc.build.context, name).toBe(".");
      expect(svc.build.dockerfile ?? "Dockerfile", name).toBe("Dockerfile");
      const service = (svc.build as { args?: Record<string, string> }).args?.SERVICE;
      expect(IMAGES, name).toContain(service);
      expect(svc.image, name).toBe(
        `\${SMARTY_IMAGE_REPOSITORY:-ghcr.io/smarty-ihd}/smarty-${service}:\${SMARTY_VERSION:-latest}`,
      );
    }
  });
});

describe.each(IMAGES)("the %s image tree (scripts/docker-assemble.mjs)", (service) => {
  it("names a workspace that has an entry point and a healthcheck", async () => {
    const { stdout } = await run(process.execPath, ["scripts/docker-assemble.mjs", "workspace", service], {
      cwd: repoPath(),
    });
    const dir = stdout.trim();
    expect(workspaces.map((w) => w.dir)).toContain(dir);
    expect(existsSync(repoPath(dir, "src", "main.ts")), `${dir}/src/main.ts`).toBe(true);
    expect(existsSync(repoPath(dir, "src", "healthcheck.ts")), `${dir}/src/healthcheck.ts`).toBe(true);
  });
});

describe("the build context", () => {
  it("keeps host builds, secrets and git history out of the images, and lets the assemble script in", () => {
    const ignore = readRepoFile(".dockerignore").split("\n");
    for (const p of [".git", ".env", "**/node_modules", "**/dist", "**/*.tsbuildinfo"]) expect(ignore).toContain(p);
    expect(ignore).toContain("!scripts/docker-assemble.mjs");
  });

  it("refuses an unknown SERVICE with the list of known ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smarty-assemble-"));
    try {
      writeFileSync(join(dir, "package.json"), "{}");
      const failed = await run(process.execPath, [repoPath("scripts/docker-assemble.mjs"), "workspace", "grafana"], {
        cwd: dir,
      }).then(
        () => "",
        (err: { stderr: string }) => err.stderr,
      );
      expect(failed).toContain('unknown SERVICE "grafana"; one of ingest, exporter, display, notifier, cli');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads no file the context leaves out", () => {
    for (const m of text.matchAll(/^COPY (?!--from)(\S+) /gm)) {
      const path = m[1] as string;
      expect(existsSync(repoPath(path)), path).toBe(true);
      expect(readFileSync(repoPath(".dockerignore"), "utf8")).not.toMatch(new RegExp(`^${path}$`, "m"));
    }
  });
});
