/**
 * The service images without a Docker engine: dockerfile-utils lints each Dockerfile, and the checks below hold
 * them to the house rules (style guide rule 15): multi-stage from one pinned Node 24 LTS base, every workspace
 * manifest for `npm ci`, only the service's dist and production dependencies in the final stage, a fixed non-root
 * uid, exec-form CMD and a HEALTHCHECK on the port and default the service's own config schema declares.
 */
import { readFileSync } from "node:fs";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { listWorkspaces, readRepoFile, repoPath, workspaceClosure } from "./helpers/repo.js";
import { defaultOf, loadServiceEnv, SERVICES } from "./helpers/service-schemas.js";

const IMAGES: Record<string, string> = {
  ...Object.fromEntries(SERVICES.map((s) => [`services/${s}`, `services/${s}/Dockerfile`])),
  "packages/cli": "packages/cli/Dockerfile",
};
const workspaces = listWorkspaces();
const read = (file: string) => readFileSync(repoPath(file), "utf8");
/** One pinned base for every image; the checks below hold each Dockerfile to it. */
const NODE_VERSION = /^ARG NODE_VERSION=(24\.\d+\.\d+)$/m.exec(read("services/ingest/Dockerfile"))?.[1];
const NODE_VERSION_ARMV7 = /^ARG NODE_VERSION_ARMV7=(22\.\d+\.\d+)$/m.exec(read("services/ingest/Dockerfile"))?.[1];

/** Instructions with continuation lines joined. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"));
}

/** The instructions after the last FROM. */
function finalStage(text: string): string[] {
  const all = instructions(text);
  const last = all.map((l) => l.startsWith("FROM ")).lastIndexOf(true);
  return all.slice(last);
}

describe.each(Object.entries(IMAGES))("the image of %s", (dir, file) => {
  const text = read(file);

  it("passes dockerfile-utils lint", () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("is multi-stage from the pinned Node 24 LTS slim base (Node 22 LTS on armv7)", () => {
    const froms = instructions(text).filter((l) => l.startsWith("FROM "));
    const bases = [
      /^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS node-amd64$/,
      /^FROM node:\$\{NODE_VERSION\}-bookworm-slim AS node-arm64$/,
      /^FROM node:\$\{NODE_VERSION_ARMV7\}-bookworm-slim AS node-armv7$/,
      /^FROM node-\$\{TARGETARCH\}\$\{TARGETVARIANT\} AS node$/,
    ];
    for (const [i, re] of bases.entries()) expect(froms[i]).toMatch(re);
    for (const f of froms.slice(4)) expect(f).toMatch(/^FROM (node|manifests)( AS [\w-]+)?$/);
    expect(froms.at(-1)).toBe("FROM node");
    expect(NODE_VERSION && NODE_VERSION_ARMV7, "pinned versions in services/ingest/Dockerfile").toBeTruthy();
    expect(text).toContain(`ARG NODE_VERSION=${NODE_VERSION}`);
    expect(text).toContain(`ARG NODE_VERSION_ARMV7=${NODE_VERSION_ARMV7}`);
  });

  it("copies every workspace manifest so npm ci sees the whole lock file", () => {
    for (const w of workspaces) expect(text, w.dir).toContain(`COPY ${w.dir}/package.json ${w.dir}/`);
    expect(text).toContain("COPY package.json package-lock.json ./");
  });

  it("ships only production dependencies and the dist of the workspaces it needs", () => {
    expect(text).toContain(`--omit=dev --workspace ${dir}`);
    const final = finalStage(text).join("\n");
    const needed = workspaceClosure(dir, workspaces);
    for (const w of needed) {
      expect(final, w).toContain(`COPY --from=build /app/${w}/package.json ${w}/`);
      expect(final, w).toContain(`COPY --from=build /app/${w}/dist/ ${w}/dist/`);
    }
    const shipped = [...final.matchAll(/COPY --from=build \/app\/((?:packages|services)\/[\w-]+)\//g)].map((m) => m[1]);
    expect(new Set(shipped)).toEqual(new Set(needed));
    expect(final).not.toMatch(/COPY (?!--from)/);
    expect(final).toContain("ENV NODE_ENV=production");
  });

  it("copies from the build stage only files that exist in the repository", () => {
    for (const m of text.matchAll(/^COPY --from=build \/app\/(\S+?)\/? /gm)) {
      const path = m[1] as string;
      if (/\/dist$/.test(path)) continue;
      expect(() => readFileSync(repoPath(path.endsWith(".json") ? path : `${path}/`)), path).not.toThrow(/ENOENT/);
    }
  });

  it("runs as a fixed non-root uid with an exec-form command", () => {
    const final = finalStage(text);
    const user = final.findIndex((l) => /^USER [1-9]\d*:[1-9]\d*$/.test(l));
    expect(user).toBeGreaterThan(0);
    const cmd = final.findIndex((l) => l.startsWith("CMD ") || l.startsWith("ENTRYPOINT "));
    expect(cmd).toBeGreaterThan(user);
    if (dir.startsWith("services/")) expect(final).toContain(`CMD ["node", "${dir}/dist/main.js"]`);
    else expect(final).toContain(`ENTRYPOINT ["node", "${dir}/dist/main.js"]`);
  });
});

describe.each(SERVICES.filter((s) => s !== "notifier"))("the %s image's healthcheck", (service) => {
  it("probes /healthz on the port variable and default of the service's config", async () => {
    const text = readRepoFile("services", service, "Dockerfile");
    const m = /^HEALTHCHECK .*CMD \["node", "-e", ".*process\.env\.(\w+)\|\|(\d+)\)\+'\/healthz'/m.exec(
      instructions(text).join("\n"),
    );
    expect(m, "HEALTHCHECK CMD with process.env.<PORT>||<default> and /healthz").not.toBeNull();
    const [, variable, port] = m as RegExpExecArray;
    const env = await loadServiceEnv(service);
    expect(defaultOf(env, variable as string).value).toBe(Number(port));
    expect(text).toMatch(new RegExp(`^EXPOSE ${port}$`, "m"));
  });
});

describe("the notifier image's healthcheck", () => {
  it("reads the notifier's own retained status topic with its broker settings (it serves no HTTP)", () => {
    const hc = instructions(readRepoFile("services", "notifier", "Dockerfile")).find((l) =>
      l.startsWith("HEALTHCHECK"),
    );
    expect(hc).toContain("require('mqtt').connect(e.MQTT_URL");
    expect(hc).toContain("'/notifier/'+(e.SMARTY_INSTANCE||'main')+'/status'");
    expect(hc).toContain("String(p)==='online'?0:1");
  });
});

describe("the build context", () => {
  it("keeps host builds, secrets and git history out of the images", () => {
    const ignore = readRepoFile(".dockerignore").split("\n");
    for (const p of [".git", ".env", "**/node_modules", "**/dist", "**/*.tsbuildinfo"]) expect(ignore).toContain(p);
  });

  it("has an image for every service", () => {
    for (const w of workspaces.filter((x) => x.dir.startsWith("services/")))
      expect(Object.keys(IMAGES)).toContain(w.dir);
  });
});
