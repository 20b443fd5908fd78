import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  commonEnv,
  envBool,
  envDuration,
  envList,
  envPort,
  loadConfig,
  mqttSettings,
} from "../src/config.js";

const schema = z.object({
  ...commonEnv,
  SMARTY_KEY: z.string().regex(/^[0-9A-Fa-f]{32}$/, "must be 32 hexadecimal digits"),
  EXPORTER_PORT: envPort(9464),
  EXPORTER_STALE_AFTER: envDuration("60s"),
  FLAG: envBool(false),
  LIST: envList(),
});

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies defaults and converts types", () => {
    const c = loadConfig(schema, { SMARTY_KEY: "A".repeat(32), LIST: "a, b,,c" });
    expect(c.MQTT_URL).toBe("mqtt://127.0.0.1:1883");
    expect(c.MQTT_PROTOCOL_VERSION).toBe(4);
    expect(c.EXPORTER_PORT).toBe(9464);
    expect(c.EXPORTER_STALE_AFTER).toBe(60_000);
    expect(c.FLAG).toBe(false);
    expect(c.LIST).toEqual(["a", "b", "c"]);
  });

  it("lists every bad variable at once, by name, without echoing secrets", () => {
    const p = problems({
      SMARTY_KEY: "not-a-key-secret",
      MQTT_URL: "localhost",
      EXPORTER_PORT: "99999",
      EXPORTER_STALE_AFTER: "soon",
      FLAG: "perhaps",
    });
    const names = p.map((x) => x.split(":")[0]);
    expect(names).toEqual(
      expect.arrayContaining(["SMARTY_KEY", "MQTT_URL", "EXPORTER_PORT", "EXPORTER_STALE_AFTER", "FLAG"]),
    );
    expect(p.join("\n")).not.toContain("not-a-key-secret");
  });

  it("reads <NAME>_FILE for secrets and refuses both forms at once", () => {
    const file = join(tmpdir(), `smarty-key-${process.pid}`);
    writeFileSync(file, `${"B".repeat(32)}\n`);
    expect(loadConfig(schema, { SMARTY_KEY_FILE: file }).SMARTY_KEY).toBe("B".repeat(32));
    expect(problems({ SMARTY_KEY: "A".repeat(32), SMARTY_KEY_FILE: file })[0]).toMatch(
      /either SMARTY_KEY or SMARTY_KEY_FILE/,
    );
    expect(problems({ SMARTY_KEY_FILE: "/nonexistent/key" })[0]).toMatch(/^SMARTY_KEY_FILE: cannot read/);
  });

  it("reads the broker password from MQTT_PASSWORD_FILE into the MQTT settings of every service", () => {
    const file = join(tmpdir(), `smarty-mqtt-password-${process.pid}`);
    writeFileSync(file, "broker-password-0123\n");
    const c = loadConfig(z.object(commonEnv), { MQTT_USERNAME: "display", MQTT_PASSWORD_FILE: file });
    expect(mqttSettings(c)).toMatchObject({ username: "display", password: "broker-password-0123" });
    expect(() => loadConfig(z.object(commonEnv), { MQTT_PASSWORD: "x", MQTT_PASSWORD_FILE: file })).toThrow(
      /MQTT_PASSWORD: set either MQTT_PASSWORD or MQTT_PASSWORD_FILE, not both/,
    );
  });

  it("refuses an MQTT_CA_FILE that cannot be read at start, naming the variable", () => {
    const valid = { SMARTY_KEY: "A".repeat(32) };
    expect(problems({ ...valid, MQTT_CA_FILE: "/nonexistent/ca.pem" })).toEqual([
      "MQTT_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)",
    ]);
    const file = join(tmpdir(), `smarty-ca-${process.pid}.pem`);
    writeFileSync(file, "-----BEGIN CERTIFICATE-----\n");
    expect(loadConfig(schema, { ...valid, MQTT_CA_FILE: file }).MQTT_CA_FILE).toBe(file);
  });
});
