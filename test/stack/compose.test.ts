/**
 * docker-compose.yml without a Docker engine: Debian's docker-compose validates it for every profile, every path it
 * mounts or builds exists, and each container gets the hardening, limits and policies a Pi left alone for years needs.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findBinary, tempDir } from "@smarty/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { envFileText } from "./helpers/env-example.js";
import { type ComposeService, readCompose, readRepoFile, repoPath } from "./helpers/repo.js";
import { STACK_USERS, testPasswords } from "./helpers/stack-broker.js";

const run = promisify(execFile);
const compose = readCompose();
const services = Object.entries(compose.services);
const dir = tempDir("compose");
afterAll(() => dir.remove());

/** The example .env with the REQUIRED lines filled in, as a user would. */
const FILLED = {
  ...Object.fromEntries(
    STACK_USERS.slice(0, 4).map((u) => [`MQTT_${u.toUpperCase()}_PASSWORD`, testPasswords()[u]] as const),
  ),
  GRAFANA_ADMIN_PASSWORD: "grafana-test-password",
};

async function composeConfig(envText: string, profiles: readonly string[]): Promise<string> {
  const envFile = join(dir.path, `env-${profiles.join("-") || "none"}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(envFile, envText);
  const args = ["-f", repoPath("docker-compose.yml"), "--env-file", envFile];
  for (const p of profiles) args.push("--profile", p);
  // A clean environment: compose would otherwise let the test runner's variables override the env file.
  const r = await run(findBinary("docker-compose"), [...args, "config"], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir.path },
  });
  return r.stdout;
}

const PROFILES = {
  none: [],
  meter: ["meter"],
  demo: ["demo"],
  notify: ["notify"],
  tools: ["tools"],
  all: ["meter", "demo", "notify", "tools"],
};

describe("docker-compose.yml", () => {
  it.each(Object.entries(PROFILES))("is valid for docker-compose with profile set %s", async (_, profiles) => {
    const out = await composeConfig(envFileText(FILLED), profiles);
    expect(out).toContain("services:");
  });

  it("refuses to start while the broker passwords of .env.example are still empty", async () => {
    await expect(composeConfig(envFileText({}), ["meter"])).rejects.toThrow(/MQTT_\w+_PASSWORD/);
  });

  it("builds and mounts only paths that exist in the repository", () => {
    const missing: string[] = [];
    for (const [name, svc] of services) {
      if (svc.build) {
        const ctx = repoPath(svc.build.context);
        if (!existsSync(ctx)) missing.push(`${name}: build context ${svc.build.context}`);
        const df = join(ctx, svc.build.dockerfile ?? "Dockerfile");
        if (!existsSync(df)) missing.push(`${name}: ${svc.build.dockerfile}`);
      }
      for (const v of svc.volumes ?? []) {
        const source = v.split(":")[0] as string;
        if (source.startsWith(".") && !existsSync(repoPath(source))) missing.push(`${name}: volume ${source}`);
        if (!source.startsWith(".") && !source.startsWith("/") && !compose.volumes?.[source])
          missing.push(`${name}: named volume ${source} is not declared`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("pins every image to an exact version", () => {
    for (const [name, svc] of services) {
      // Our own images (built here or pulled by name) follow SMARTY_VERSION; dockerfiles.test.ts checks their names.
      if (!svc.image || svc.build) continue;
      expect(svc.image, name).toMatch(/:v?\d+\.\d+\.\d+(-[a-z0-9]+)?$/);
    }
    expect(compose.services.mosquitto?.image).toMatch(/^eclipse-mosquitto:2\./);
  });

  it.each(services)("hardens %s: restart, logs, memory, read-only root, no capabilities, non-root", (_name, svc) => {
    // The tools profile holds one-off commands (docker compose run), which must not come back by themselves.
    expect(svc.restart, "restart").toBe(svc.profiles?.includes("tools") ? "no" : "unless-stopped");
    expect(svc.logging?.driver).toBe("json-file");
    expect(svc.logging?.options?.["max-size"]).toBeDefined();
    expect(svc.logging?.options?.["max-file"]).toBeDefined();
    expect(svc.mem_limit, "mem_limit").toMatch(/^\d+m$/);
    expect(svc.read_only, "read_only").toBe(true);
    expect(svc.cap_drop).toEqual(["ALL"]);
    expect(svc.security_opt).toContain("no-new-privileges:true");
    if (!svc.build) expect(svc.user, "user").toMatch(/^[1-9]\d*:\d+$/);
    else expect(dockerfileOf(svc)).toMatch(/^USER [1-9]\d*:\d+$/m);
  });

  it.each(services.filter(([, s]) => !s.profiles?.includes("tools")))(
    "gives %s a healthcheck (compose or image)",
    (name, svc) => {
      const own = svc.healthcheck !== undefined;
      const image = svc.build ? /^HEALTHCHECK (?!NONE)/m.test(dockerfileOf(svc)) : false;
      expect(own || image, name).toBe(true);
    },
  );

  it("fits a 1 GB Raspberry Pi: under 800 MB by default, under 1 GB with notifications", () => {
    const mb = (names: (n: string, s: ComposeService) => boolean) =>
      services.filter(([n, s]) => names(n, s)).reduce((sum, [, s]) => sum + Number.parseInt(s.mem_limit ?? "0", 10), 0);
    const base = (n: string, s: ComposeService) => !s.profiles || (s.profiles.includes("meter") && n === "ingest");
    expect(mb(base)).toBeLessThanOrEqual(800);
    expect(mb((n, s) => base(n, s) || (s.profiles?.includes("notify") ?? false))).toBeLessThanOrEqual(1024);
  });

  it("puts the optional parts in profiles", () => {
    const profile = (n: string) => compose.services[n]?.profiles ?? [];
    expect(profile("ingest")).toEqual(["meter"]);
    expect(profile("notifier")).toEqual(["notify"]);
    expect(profile("redis")).toEqual(["notify"]);
    expect(profile("simulator")).toEqual(["demo"]);
    expect(profile("ingest-demo")).toEqual(["demo"]);
    expect(profile("cli")).toEqual(["tools"]);
    for (const n of ["mosquitto", "exporter", "display", "prometheus", "grafana"]) expect(profile(n), n).toEqual([]);
  });

  it("runs the broker with no anonymous access and the users generated at start", () => {
    const conf = readRepoFile("mosquitto", "mosquitto.conf");
    expect(conf).toMatch(/^allow_anonymous false$/m);
    expect(conf).toMatch(/^password_file \/tmp\/mosquitto-auth\/passwd$/m);
    expect(conf).toMatch(/^acl_file \/tmp\/mosquitto-auth\/acl$/m);
    expect(conf).toMatch(/^persistence true$/m);
    const broker = compose.services.mosquitto as ComposeService;
    expect(broker.entrypoint).toEqual(["/bin/sh", "/mosquitto/config/docker-entrypoint.sh"]);
    expect(broker.volumes).toContain("mosquitto-data:/mosquitto/data");
    for (const u of STACK_USERS.slice(0, 4)) {
      expect(String(broker.environment?.[`MQTT_${u.toUpperCase()}_PASSWORD`])).toMatch(/^\$\{\w+:\?/);
    }
  });

  it("logs each Node service in to the broker as its own user with its own password", () => {
    const broker = compose.services.mosquitto?.environment ?? {};
    for (const [name, svc] of services) {
      const env = svc.environment ?? {};
      if (!("MQTT_URL" in env)) continue;
      expect(env.MQTT_URL, name).toBe("mqtt://mosquitto:1883");
      const user = String(env.MQTT_USERNAME);
      expect(STACK_USERS as readonly string[], `${name} user`).toContain(user);
      const variable = `MQTT_${user.toUpperCase()}_PASSWORD`;
      expect(String(env.MQTT_PASSWORD), name).toMatch(new RegExp(`^\\$\\{${variable}[:}]`));
      expect(broker, name).toHaveProperty(variable);
    }
  });

  it("keeps redis on an internal network with append-only persistence on a volume", () => {
    const redis = compose.services.redis as ComposeService;
    expect(redis.networks).toEqual(["store"]);
    expect(compose.networks?.store?.internal).toBe(true);
    expect(redis.command?.join(" ")).toMatch(/--appendonly yes/);
    expect(redis.command?.join(" ")).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.volumes).toContain("redis-data:/data");
  });

  it("bounds Prometheus history by time and size, and serves it on the host's loopback only", () => {
    const prom = compose.services.prometheus as ComposeService;
    const flags = (prom.command ?? []).join(" ");
    expect(flags).toMatch(/--storage\.tsdb\.retention\.time=\$\{PROMETHEUS_RETENTION_TIME:-\d+[dwy]\}/);
    expect(flags).toMatch(/--storage\.tsdb\.retention\.size=\$\{PROMETHEUS_RETENTION_SIZE:-\d+GB\}/);
    expect(prom.ports?.every((p) => p.startsWith("127.0.0.1:"))).toBe(true);
  });

  it("mounts Grafana's home-network settings, which turn off its calls to the Internet", () => {
    const grafana = compose.services.grafana as ComposeService;
    expect(grafana.volumes).toContain("./grafana/grafana.ini:/etc/grafana/grafana.ini:ro");
    const ini = readRepoFile("grafana", "grafana.ini");
    for (const line of [
      "reporting_enabled = false",
      "check_for_updates = false",
      "check_for_plugin_updates = false",
      "news_feed_enabled = false",
      "disable_gravatar = true",
      "org_role = Viewer",
    ])
      expect(ini, line).toContain(line);
    expect(Object.keys(grafana.environment ?? {}).sort()).toEqual([
      "GF_SECURITY_ADMIN_PASSWORD",
      "GF_SECURITY_ADMIN_USER",
    ]);
  });

  it("feeds the demo ingest from the simulator with the same test key", () => {
    const sim = compose.services.simulator as ComposeService;
    const demo = compose.services["ingest-demo"]?.environment ?? {};
    const out = (sim.command ?? [])[(sim.command ?? []).indexOf("--out") + 1] as string;
    const port = new URL(out).port;
    expect(demo.SMARTY_SOURCE).toBe(`tcp://simulator:${port}`);
    expect((sim.command ?? []).join(" ")).toContain(String(demo.SMARTY_KEY));
  });

  it("passes the P1 serial device from .env to ingest", () => {
    const ingest = compose.services.ingest as ComposeService;
    expect(ingest.devices?.[0]).toMatch(/^\$\{SMARTY_SERIAL_DEVICE:-[^}]+\}:\/dev\/smarty-p1$/);
    expect(String(ingest.environment?.SMARTY_SOURCE)).toContain("serial:///dev/smarty-p1");
  });

  it("gives the doctor (cli) the keys ingest reads, key files and their mounted folder included", () => {
    const ingest = compose.services.ingest as ComposeService;
    const cli = compose.services.cli as ComposeService;
    for (const name of ["SMARTY_SOURCE", "SMARTY_KEY", "SMARTY_KEY_FILE", "SMARTY_KEYS", "SMARTY_KEYS_FILE"])
      expect(cli.environment?.[name], name).toBe(ingest.environment?.[name]);
    const keyFolder = (ingest.volumes ?? []).find((v) => v.startsWith("./config/ingest:"));
    expect(keyFolder).toBeDefined();
    expect(cli.volumes ?? []).toContain(keyFolder);
  });
});

function dockerfileOf(svc: ComposeService): string {
  if (!svc.build) throw new Error("no build");
  return readFileSync(join(repoPath(svc.build.context), svc.build.dockerfile ?? "Dockerfile"), "utf8");
}
