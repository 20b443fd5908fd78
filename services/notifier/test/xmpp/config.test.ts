import { ConfigError, loadConfig } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bareJid, xmppAlertRecipients, xmppEnv, xmppSettings } from "../../src/xmpp/config.js";

const schema = z.object(xmppEnv);
const load = (env: Record<string, string>) => xmppSettings(loadConfig(schema, env));

const VALID = {
  XMPP_SERVICE: "xmpp://chat.example.org:5222",
  XMPP_USERNAME: "smarty",
  XMPP_PASSWORD: "secret",
  XMPP_ALLOWED_JIDS: "Alice@Example.org, bob@example.org",
};

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  return [];
}

describe("xmpp configuration", () => {
  it("is disabled without XMPP_SERVICE", () => {
    expect(load({})).toBeUndefined();
  });

  it("derives the domain from the service host and lower-cases JIDs", () => {
    const s = load(VALID);
    expect(s?.domain).toBe("chat.example.org");
    expect(s?.jid).toBe("smarty@chat.example.org");
    expect(s?.allowedJids).toEqual(["alice@example.org", "bob@example.org"]);
    expect(s?.resource).toBe("smarty");
    expect(s?.alertMinSeverity).toBe("info");
    expect(s?.reconnectMaxMs).toBe(300_000);
    expect(s?.presenceIntervalMs).toBe(120_000);
  });

  it("keeps the power out of the presence status by default: off with OpenPGP, coarse without", () => {
    expect(load(VALID)?.presenceStatus).toBe("coarse");
    expect(load({ ...VALID, XMPP_PGP_PRIVATE_KEY: "key" })?.presenceStatus).toBe("off");
    expect(load({ ...VALID, XMPP_PGP_PRIVATE_KEY: "key", XMPP_PRESENCE_STATUS: "live" })?.presenceStatus).toBe("live");
    expect(problems(() => load({ ...VALID, XMPP_PRESENCE_STATUS: "loud" }))).toEqual([
      "XMPP_PRESENCE_STATUS: must be one of off, coarse, live",
    ]);
    expect(load(VALID)?.allowPlaintextFromKeyed).toBe(false);
    expect(load({ ...VALID, XMPP_ALLOW_PLAINTEXT_FROM_KEYED: "true" })?.allowPlaintextFromKeyed).toBe(true);
  });

  it("names every missing variable once the bot is enabled", () => {
    expect(problems(() => load({ XMPP_SERVICE: "xmpps://192.168.1.5:5223" }))).toEqual([
      "XMPP_DOMAIN: required when XMPP_SERVICE names an IP address",
      "XMPP_USERNAME: required when XMPP_SERVICE is set",
      "XMPP_PASSWORD: required when XMPP_SERVICE is set",
      "XMPP_ALLOWED_JIDS: at least one JID is required when XMPP_SERVICE is set",
    ]);
  });

  it("rejects a service that is not xmpp:// or xmpps://, and full JIDs in the allow-list", () => {
    const found = problems(() =>
      load({ ...VALID, XMPP_SERVICE: "http://example.org", XMPP_ALLOWED_JIDS: "alice@example.org/phone" }),
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^XMPP_SERVICE: must be xmpp:\/\/host:5222/);
    expect(found[1]).toMatch(/^XMPP_ALLOWED_JIDS: must be a comma list of bare JIDs/);
  });

  it("requires the bot's own key when contact keys are given", () => {
    expect(problems(() => load({ ...VALID, XMPP_PGP_KEYS: "/keys" }))).toEqual([
      "XMPP_PGP_PRIVATE_KEY: required with XMPP_PGP_KEYS (XEP-0374 messages are signed by the bot's own key)",
    ]);
  });
});

describe("xmppAlertRecipients", () => {
  const settings = { allowedJids: ["a@x.org", "b@x.org"], alertMinSeverity: "warning" as const, alertCleared: true };

  it("sends alerts at or above the minimum severity to every allowed JID", () => {
    expect(xmppAlertRecipients(settings, { severity: "critical", state: "active" })).toEqual(["a@x.org", "b@x.org"]);
    expect(xmppAlertRecipients(settings, { severity: "warning", state: "active" })).toHaveLength(2);
    expect(xmppAlertRecipients(settings, { severity: "info", state: "active" })).toEqual([]);
  });

  it("leaves out cleared alerts when XMPP_ALERT_CLEARED is off", () => {
    expect(
      xmppAlertRecipients({ ...settings, alertCleared: false }, { severity: "critical", state: "cleared" }),
    ).toEqual([]);
  });
});

describe("bareJid", () => {
  it("drops the resource and lower-cases", () => {
    expect(bareJid("Alice@Example.org/Phone")).toBe("alice@example.org");
    expect(bareJid("bob@example.org")).toBe("bob@example.org");
  });
});
