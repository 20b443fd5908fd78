/**
 * TLS policy against real Prosody servers: STARTTLS with a self-signed certificate trusted through
 * NODE_EXTRA_CA_CERTS (bot in a child process, since Node reads that variable only at start), the same without the
 * CA (certificate refused), and a server offering no TLS at all (the bot refuses to log in and says why).
 */
import { join } from "node:path";
import { loadConfig, startAll, stopAll } from "@smarty/service-kit";
import { type Daemon, type Prosody, spawnDaemon, startProsody, waitFor } from "@smarty/testkit";
import { connectUser } from "@smarty/testkit/xmpp-user";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createXmpp, xmppEnv, xmppSettings } from "../../src/xmpp/index.js";
import { captureLogs } from "../xmpp/support/log-capture.js";
import { FakeBackend, NOW } from "../xmpp/support/samples.js";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const BOT_PROCESS = join(import.meta.dirname, "..", "xmpp", "support", "bot-process.ts");
const USERS = [
  { username: "smarty", password: "smarty-pw" },
  { username: "alice", password: "alice-pw" },
];

function botEnv(service: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const k of Object.keys(env)) if (k.startsWith("XMPP_") || k === "NODE_EXTRA_CA_CERTS") delete env[k];
  return {
    ...env,
    ...extra,
    XMPP_SERVICE: service,
    XMPP_DOMAIN: "localhost",
    XMPP_USERNAME: "smarty",
    XMPP_PASSWORD: "smarty-pw",
    XMPP_ALLOWED_JIDS: "alice@localhost",
  };
}

function startBotProcess(env: NodeJS.ProcessEnv): Daemon {
  return spawnDaemon("bot", process.execPath, ["--conditions=source", "--import", "tsx", BOT_PROCESS], {
    cwd: ROOT,
    env,
  });
}

describe("STARTTLS with a self-signed certificate", () => {
  let prosody: Prosody;
  beforeAll(async () => {
    prosody = await startProsody({ users: USERS });
  });
  afterAll(async () => {
    await prosody?.stop();
  });

  it("logs in when NODE_EXTRA_CA_CERTS names the certificate, and answers", async () => {
    const bot = startBotProcess(botEnv(prosody.service, { NODE_EXTRA_CA_CERTS: prosody.caFile ?? "" }));
    const alice = await connectUser(prosody, "alice", "alice-pw");
    try {
      await waitFor(() => bot.output().includes('"msg":"xmpp online"'), 20_000, "bot online");
      const answer = await alice.ask("smarty@localhost", "now");
      expect(answer.getChildText("body")).toBe(
        "Export 0.90 kW at 17:54:31\nL1 -0.32 · L2 -0.30 · L3 -0.28 kW (- = export)\nVoltage 231 · 229 · 230 V",
      );
    } finally {
      await alice.stop();
      await bot.stop();
    }
  });

  it("refuses the certificate without it, and keeps retrying", async () => {
    const bot = startBotProcess(botEnv(prosody.service));
    try {
      await waitFor(() => bot.output().includes('"msg":"xmpp connection failed"'), 20_000, "connection failure");
      expect(bot.output()).toMatch(/self-signed certificate/);
      const attempts = () => bot.output().split('"msg":"xmpp client error"').length - 1;
      await waitFor(() => attempts() >= 2, 10_000, "a second attempt after back-off");
      expect(bot.output()).not.toContain('"msg":"xmpp online"');
    } finally {
      await bot.stop();
    }
  });
});

describe("a server without TLS", () => {
  let prosody: Prosody;
  beforeAll(async () => {
    prosody = await startProsody({ users: USERS, tls: "none" });
  });
  afterAll(async () => {
    await prosody?.stop();
  });

  it("gets no login: the bot refuses before sending the password and logs why", async () => {
    const logs = captureLogs();
    const settings = xmppSettings(loadConfig(z.object(xmppEnv), botEnv(prosody.service)));
    if (!settings) throw new Error("bot not enabled");
    const xmpp = await createXmpp({ settings, backend: new FakeBackend(() => NOW), logger: logs.logger });
    await startAll(xmpp.components, logs.logger);
    try {
      await waitFor(() => logs.lines.find((l) => l.msg === "xmpp connection failed"), 10_000, "refusal");
      const line = logs.lines.find((l) => l.msg === "xmpp connection failed");
      expect(line?.level).toBe(50);
      expect(JSON.stringify(line?.err)).toContain("refusing to log in: the server offered no TLS");
      expect(xmpp.connection.online).toBe(false);
      expect(xmpp.connection.lastError).toMatch(/^refusing to log in/);
      expect(prosody.output()).not.toMatch(/Authenticated as/i);
      expect(logs.raw()).not.toContain("smarty-pw");
    } finally {
      await stopAll(xmpp.components, logs.logger);
    }
  });
});
