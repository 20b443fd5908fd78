#!/usr/bin/env node
/**
 * The image tree of one service, used by the Dockerfile (no dependencies: it runs before anything is installed).
 *
 *   node docker-assemble.mjs workspace <service>              prints the service's workspace folder
 *   node docker-assemble.mjs assemble <service> <build> <out>  writes the run-time tree of that service to <out>
 *
 * "assemble" runs in /app after `npm ci --omit=dev --workspace <folder>`, which links into node_modules/@smarty only
 * the workspaces the service uses. For each of them it takes the package.json, the compiled dist/ (and public/, the
 * display's page) from <build>, plus the workspace's own node_modules (npm puts a dependency there when the root
 * holds another version of it). Then it drops what never runs: source maps, type declarations, docs, serialport
 * prebuilds of other platforms and openpgp's browser bundles. /app/main.js and /app/healthcheck.js link to the
 * service's entry points; links keep the real path, so module resolution and the CLI's entry-point check still work.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, posix, relative, resolve } from "node:path";

const WORKSPACES = {
  ingest: "services/ingest",
  exporter: "services/exporter",
  display: "services/display",
  notifier: "services/notifier",
  cli: "packages/cli",
};

function workspaceOf(service) {
  const folder = WORKSPACES[service];
  if (!folder) {
    throw new Error(`unknown SERVICE "${service}"; one of ${Object.keys(WORKSPACES).join(", ")}`);
  }
  return folder;
}

/** The workspace folders that npm linked into node_modules/@smarty, relative to the app root. */
function linkedWorkspaces(app) {
  const scope = join(app, "node_modules", "@smarty");
  if (!existsSync(scope)) return [];
  return readdirSync(scope).map((name) => {
    const link = join(scope, name);
    return posix.normalize(
      relative(app, resolve(scope, readlinkSync(link)))
        .split("\\")
        .join("/"),
    );
  });
}

const DROP_FILE = /(\.map|\.d\.[cm]?ts|\.tsbuildinfo|^(README|CHANGELOG|HISTORY|CONTRIBUTING)(\.[a-z]+)?)$/i;
const DROP_DIR = new Set(["test", "tests", "__tests__", "docs", "example", "examples", ".github"]);

function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (DROP_DIR.has(entry.name)) rmSync(path, { recursive: true, force: true });
      else prune(path);
    } else if (entry.isFile() && DROP_FILE.test(entry.name)) {
      rmSync(path, { force: true });
    }
  }
}

/** Package-specific cuts of files Node never loads (each checked against the package's "exports"). */
function pruneKnownPackages(modules) {
  // serialport loads prebuilds/<platform>-<arch>/ only.
  const prebuilds = join(modules, "@serialport", "bindings-cpp", "prebuilds");
  if (existsSync(prebuilds)) {
    for (const name of readdirSync(prebuilds)) {
      if (name !== `linux-${process.arch}`) rmSync(join(prebuilds, name), { recursive: true, force: true });
    }
  }
  // openpgp: Node imports dist/node/openpgp.mjs and requires dist/node/openpgp.min.cjs; the rest is for browsers.
  const openpgp = join(modules, "openpgp", "dist");
  if (existsSync(join(openpgp, "node", "openpgp.mjs"))) {
    for (const name of readdirSync(openpgp)) {
      if (name !== "node") rmSync(join(openpgp, name), { recursive: true, force: true });
    }
    for (const name of readdirSync(join(openpgp, "node"))) {
      if (name !== "openpgp.mjs" && name !== "openpgp.min.cjs") rmSync(join(openpgp, "node", name), { force: true });
    }
  }
}

function assemble(service, build, out, app = process.cwd()) {
  const own = workspaceOf(service);
  const workspaces = linkedWorkspaces(app);
  if (!workspaces.includes(own)) throw new Error(`npm did not link ${own}; run npm ci --workspace ${own} first`);
  mkdirSync(out, { recursive: true });
  const root = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  const manifest = { name: root.name, private: true, type: root.type, license: root.license };
  writeFileSync(join(out, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(app, "node_modules"), join(out, "node_modules"), { recursive: true, verbatimSymlinks: true });
  for (const folder of workspaces) {
    const target = join(out, folder);
    mkdirSync(target, { recursive: true });
    cpSync(join(build, folder, "package.json"), join(target, "package.json"));
    for (const part of ["dist", "public"]) {
      const from = join(build, folder, part);
      if (existsSync(from)) cpSync(from, join(target, part), { recursive: true });
    }
    const modules = join(app, folder, "node_modules");
    if (existsSync(modules)) cpSync(modules, join(target, "node_modules"), { recursive: true, verbatimSymlinks: true });
  }
  prune(out);
  pruneKnownPackages(join(out, "node_modules"));
  for (const [link, file] of [
    ["main.js", "main.js"],
    ["healthcheck.js", "healthcheck.js"],
  ]) {
    const entry = posix.join(own, "dist", file);
    if (!statSync(join(out, entry), { throwIfNoEntry: false })?.isFile()) throw new Error(`${entry} was not built`);
    symlinkSync(entry, join(out, link));
  }
  process.stdout.write(`assembled ${service}: ${workspaces.join(", ")}\n`);
}

const [command, service, build, out] = process.argv.slice(2);
try {
  if (command === "workspace") process.stdout.write(`${workspaceOf(service)}\n`);
  else if (command === "assemble" && build && out) assemble(service, build, out);
  else throw new Error("usage: docker-assemble.mjs workspace <service> | assemble <service> <build> <out>");
} catch (err) {
  process.stderr.write(`docker-assemble: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
