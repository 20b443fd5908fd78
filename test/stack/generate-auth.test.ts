/**
 * mosquitto/generate-auth.sh, the broker container's first step: it refuses a weak or missing configuration with
 * every problem at once (exit 78, like the services), and what it writes holds hashes, never a password.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { findBinary, tempDir } from "@smarty/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { repoPath } from "./helpers/repo.js";
import { generateAuth, passwordVariable, STACK_USERS, testPasswords } from "./helpers/stack-broker.js";

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function outDir(): string {
  const d = tempDir("auth");
  dirs.push(d);
  return join(d.path, "auth");
}

const fullEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(testPasswords()).map(([u, pw]) => [passwordVariable(u), pw]));

describe("generate-auth.sh", () => {
  it("lists every problem at once and exits 78 without writing a password file", async () => {
    const dir = outDir();
    const r = await generateAuth(dir, {
      MQTT_INGEST_PASSWORD: "short",
      MQTT_EXPORTER_PASSWORD: "with:colon-and-long-enough",
      MQTT_DISPLAY_PASSWORD: "display-password-long",
      MQTT_DISPLAY_PASSWORD_FILE: "/nonexistent",
      MQTT_BASE_TOPIC: "smarty/#",
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain("Refusing to start: invalid broker configuration");
    expect(r.stderr).toContain("MQTT_INGEST_PASSWORD: must be at least 12 characters");
    expect(r.stderr).toContain("MQTT_EXPORTER_PASSWORD: must not contain ':' or whitespace");
    expect(r.stderr).toContain("MQTT_DISPLAY_PASSWORD: set either MQTT_DISPLAY_PASSWORD or MQTT_DISPLAY_PASSWORD_FILE");
    expect(r.stderr).toContain("MQTT_NOTIFIER_PASSWORD: required");
    expect(r.stderr).toContain("MQTT_BASE_TOPIC / HA_DISCOVERY_PREFIX: must not contain #, + or spaces");
    expect(r.stderr).not.toContain("display-password-long");
    expect(() => statSync(join(dir, "passwd"))).toThrow();
  });

  it("reads a password from a _FILE variable (Docker secrets)", async () => {
    const secrets = tempDir("secret");
    dirs.push(secrets);
    const file = join(secrets.path, "ingest");
    writeFileSync(file, "from-a-file-0123456\n");
    const env = fullEnv();
    delete env.MQTT_INGEST_PASSWORD;
    const r = await generateAuth(outDir(), { ...env, MQTT_INGEST_PASSWORD_FILE: file });
    expect(r.code).toBe(0);
  });

  it("creates optional users only when their password is set, and stores only hashes", async () => {
    const dir = outDir();
    const env = fullEnv();
    delete env.MQTT_HOMEASSISTANT_PASSWORD;
    const r = await generateAuth(dir, env);
    expect(r.code).toBe(0);
    const passwd = readFileSync(join(dir, "passwd"), "utf8");
    const users = passwd
      .trim()
      .split("\n")
      .map((l) => l.split(":")[0]);
    expect(users).toEqual(["ingest", "exporter", "display", "notifier", "cli", "healthcheck"]);
    for (const pw of Object.values(testPasswords())) expect(passwd).not.toContain(pw);
    expect(passwd).toMatch(/^ingest:\$7\$/m);
    expect(statSync(join(dir, "passwd")).mode & 0o077).toBe(0);
    const acl = readFileSync(join(dir, "acl"), "utf8");
    expect(acl).not.toContain("user homeassistant");
    expect(r.stderr).not.toMatch(/test-.*-password/);
  });

  it("follows MQTT_BASE_TOPIC and HA_DISCOVERY_PREFIX in the ACL", async () => {
    const dir = outDir();
    const r = await generateAuth(dir, { ...fullEnv(), MQTT_BASE_TOPIC: "home/meter", HA_DISCOVERY_PREFIX: "ha" });
    expect(r.code).toBe(0);
    const acl = readFileSync(join(dir, "acl"), "utf8");
    expect(acl).toContain("topic readwrite home/meter/+/reading");
    expect(acl).toContain("topic readwrite ha/sensor/#");
    expect(acl).not.toMatch(/ smarty\//);
    expect(STACK_USERS.every((u) => acl.includes(`user ${u}`))).toBe(true);
  });

  it("runs with BusyBox's shell and tools alone, as in the Alpine-based eclipse-mosquitto image", async () => {
    const bin = join(outDir(), "..", "bin");
    mkdirSync(bin, { recursive: true });
    for (const applet of ["sh", "tr", "head", "mkdir", "mv", "printf", "cat", "rm"])
      symlinkSync(findBinary("busybox"), join(bin, applet));
    symlinkSync(findBinary("mosquitto_passwd"), join(bin, "mosquitto_passwd"));
    const dir = join(bin, "..", "auth");
    await promisify(execFile)(join(bin, "sh"), [repoPath("mosquitto", "generate-auth.sh"), dir], {
      env: { PATH: bin, ...fullEnv() },
    });
    expect(readFileSync(join(dir, "healthcheck-password"), "utf8")).toMatch(/^[0-9a-f]{48}\n$/);
    expect(readFileSync(join(dir, "passwd"), "utf8")).toMatch(/^healthcheck:\$7\$/m);
  });
});
