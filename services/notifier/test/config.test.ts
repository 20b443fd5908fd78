import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@smarty/service-kit";
import { tempDir } from "@smarty/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { loadNotifierConfig } from "../src/config.js";
import { defaultFileConfig, parseFileConfig } from "../src/config-file.js";

const dir = tempDir("notifier-config");
afterAll(() => dir.remove());

function problems(env: Record<string, string>): string[] {
  try {
    loadNotifierConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe("notifier configuration", () => {
  it("reads SMARTY_LANGUAGE (lb, fr, de, en), English when unset", () => {
    expect(loadNotifierConfig({}).env.SMARTY_LANGUAGE).toBe("en");
    expect(loadNotifierConfig({ SMARTY_LANGUAGE: "de" }).env.SMARTY_LANGUAGE).toBe("de");
    expect(problems({ SMARTY_LANGUAGE: "es" })).toEqual([expect.stringMatching(/^SMARTY_LANGUAGE: .*lb, fr, de, en/)]);
  });

  it("refuses an unreadable NOTIFIER_SMTP_CA_FILE and a malformed XMPP_DOMAIN at start", () => {
    const smtp = { SMTP_URL: "smtp://127.0.0.1:25", EMAIL_FROM: "s@example.org", EMAIL_TO: "a@example.org" };
    expect(problems({ ...smtp, EMAIL_ENCRYPTION: "off", NOTIFIER_SMTP_CA_FILE: "/nonexistent/ca.pem" })).toEqual([
      "NOTIFIER_SMTP_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)",
    ]);
    const xmpp = { XMPP_SERVICE: "xmpp://127.0.0.1:5222", XMPP_USERNAME: "bot", XMPP_PASSWORD: "pw-0123456789" };
    expect(problems({ ...xmpp, XMPP_ALLOWED_JIDS: "a@example.org", XMPP_DOMAIN: "not a domain" })).toEqual([
      "XMPP_DOMAIN: must be a domain like example.org",
    ]);
  });

  it("runs with no variables at all: no email, no bot, default rules", () => {
    const c = loadNotifierConfig({});
    expect(c.email).toBeUndefined();
    expect(c.xmpp).toBeUndefined();
    expect(c.env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(c.file.alerts.rules.meter_silent.after).toBe(60_000);
    expect(c.file.alerts.rules.voltage_range).toMatchObject({ nominal_v: 230, tolerance_pct: 10 });
  });

  it("derives the TLS mode from the URL and defaults to STARTTLS", () => {
    const base = { EMAIL_FROM: "s@example.org", EMAIL_TO: "A@example.org, b@example.org", EMAIL_PGP_KEYS: "/k" };
    expect(loadNotifierConfig({ ...base, SMTP_URL: "smtp://mail:587" }).email?.smtp.tls).toBe("starttls");
    expect(loadNotifierConfig({ ...base, SMTP_URL: "smtps://mail:465" }).email?.smtp.tls).toBe("implicit");
    expect(loadNotifierConfig({ ...base, SMTP_URL: "smtp://127.0.0.1:25", SMTP_TLS: "none" }).email?.to).toEqual([
      "a@example.org",
      "b@example.org",
    ]);
  });

  it("lists every problem of an enabled email at once", () => {
    expect(problems({ SMTP_URL: "smtps://mail:465", SMTP_TLS: "starttls", SMTP_PASSWORD: "x" })).toEqual([
      "SMTP_TLS: smtps:// URLs use implicit TLS; use smtp:// for starttls or none",
      "EMAIL_FROM: required when SMTP_URL is set",
      "EMAIL_TO: at least one address is required when SMTP_URL is set",
      "EMAIL_PGP_KEYS: required with EMAIL_ENCRYPTION=pgp (each recipient needs a public key)",
      "SMTP_USERNAME: required when SMTP_PASSWORD is set",
    ]);
    expect(problems({ SMTP_URL: "http://x", EMAIL_TO: "not-an-address", EMAIL_ENCRYPTION: "maybe" })).toEqual([
      "SMTP_URL: must be smtp://host:port or smtps://host:port",
      "EMAIL_TO: must be a comma list of email addresses",
      "EMAIL_ENCRYPTION: must be pgp or off",
    ]);
  });

  it("accepts plain mail only when asked for", () => {
    const c = loadNotifierConfig({
      SMTP_URL: "smtp://127.0.0.1:25",
      SMTP_TLS: "none",
      EMAIL_FROM: "s@example.org",
      EMAIL_TO: "a@example.org",
      EMAIL_ENCRYPTION: "off",
    });
    expect(c.email?.encryption).toBe("off");
  });

  it("refuses a password over plain SMTP unless SMTP_ALLOW_PLAINTEXT_AUTH=true", () => {
    const plain = {
      SMTP_URL: "smtp://127.0.0.1:25",
      SMTP_TLS: "none",
      SMTP_USERNAME: "smarty",
      SMTP_PASSWORD: "mail-secret-123",
      EMAIL_FROM: "s@example.org",
      EMAIL_TO: "a@example.org",
      EMAIL_ENCRYPTION: "off",
    };
    const found = problems(plain);
    expect(found).toEqual([
      "SMTP_TLS: none would send SMTP_PASSWORD in clear (AUTH without TLS); use starttls or implicit, or set SMTP_ALLOW_PLAINTEXT_AUTH=true for a relay on the same host",
    ]);
    expect(found.join("\n")).not.toContain("mail-secret-123");
    expect(loadNotifierConfig({ ...plain, SMTP_ALLOW_PLAINTEXT_AUTH: "true" }).email?.smtp.password).toBe(
      "mail-secret-123",
    );
    const { SMTP_PASSWORD: _, ...withoutPassword } = plain;
    expect(problems(withoutPassword)).toEqual([]);
    expect(problems({ ...plain, SMTP_TLS: "starttls" })).toEqual([]);
  });

  it("reads the rules file as YAML or JSON and names bad fields", () => {
    const yaml = join(dir.path, "n.yaml");
    writeFileSync(yaml, "alerts:\n  rules:\n    power_import_high: {threshold_kw: 5, for: 30s}\n");
    expect(loadNotifierConfig({ NOTIFIER_CONFIG: yaml }).file.alerts.rules.power_import_high).toMatchObject({
      threshold_kw: 5,
      for: 30_000,
      cooldown: 1_800_000,
    });
    const json = join(dir.path, "n.json");
    writeFileSync(
      json,
      JSON.stringify({ tariff: { import_per_kwh: 0.3, power_class: { kw: 7, excess_per_kwh: 0.11 } } }),
    );
    expect(loadNotifierConfig({ NOTIFIER_CONFIG: json }).file.tariff?.power_class?.kw).toBe(7);
    let found: readonly string[] = [];
    try {
      parseFileConfig(
        "tariff: {import_per_kwh: 0.2, power_class: {kw: 5, excess_per_kwh: 1}}\nalerts: {rules: {meter_silent: {after: soon}}}",
      );
    } catch (err) {
      found = (err as ConfigError).problems;
    }
    expect(found).toHaveLength(2);
    expect(found).toContain(
      "NOTIFIER_CONFIG: alerts.rules.meter_silent.after: 'soon' is not a duration (use e.g. 30s, 5m, 1h)",
    );
    expect(found.find((p) => p.startsWith("NOTIFIER_CONFIG: tariff.power_class.kw:"))).toBeDefined();
    expect(problems({ NOTIFIER_CONFIG: join(dir.path, "missing.yaml") })).toEqual([
      `NOTIFIER_CONFIG: cannot read ${join(dir.path, "missing.yaml")} (ENOENT)`,
    ]);
  });

  it("sends info alerts by chat and warnings and critical ones by mail and chat by default", () => {
    expect(defaultFileConfig().alerts.channels).toEqual({
      info: ["xmpp"],
      warning: ["email", "xmpp"],
      critical: ["email", "xmpp"],
    });
  });
});
