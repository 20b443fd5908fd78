/**
 * The XMPP bot against a real Prosody with TLS required (self-signed certificate): commands, strangers,
 * subscriptions, alerts through an outbox, OpenPGP for XMPP (decrypted by openpgp.js and by GnuPG), and a server
 * restart with an alert queued meanwhile. The bot runs in-process over direct TLS with XMPP_CA_FILE; STARTTLS with
 * NODE_EXTRA_CA_CERTS runs in a child process in xmpp-tls.test.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Clock, loadConfig, startAll, stopAll, systemClock } from "@smarty/service-kit";
import { type Prosody, startProsody, tempDir, waitFor } from "@smarty/testkit";
import { connectUser, type XmppUser } from "@smarty/testkit/xmpp-user";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { createMessage, encrypt, readKey } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { TemporaryDeliveryError } from "../../src/ports.js";
import {
  createXmpp,
  OX_FALLBACK_BODY,
  signcryptElement,
  type Xmpp,
  xmppEnv,
  xmppSettings,
} from "../../src/xmpp/index.js";
import { oxMessageStanza, parseXml } from "../../src/xmpp/ox.js";
import { gpgDecrypt, oxPayload, readOx } from "../xmpp/support/gpg-check.js";
import { makeKey, type TestKey } from "../xmpp/support/keys.js";
import { captureLogs } from "../xmpp/support/log-capture.js";
import { MemoryOutbox } from "../xmpp/support/memory-outbox.js";
import { alert, FakeBackend, NOW } from "../xmpp/support/samples.js";

const BOT_JID = "smarty@localhost";
const NOW_TEXT = [
  "Export 0.90 kW at 17:54:31",
  "L1 -0.32 · L2 -0.30 · L3 -0.28 kW (- = export)",
  "Voltage 231 · 229 · 230 V",
];
/** Real timers, but answers see Friday 3 April 2026, 18:00 CEST. */
const clock: Clock = { ...systemClock, now: () => NOW };

let prosody: Prosody;
let dir: { path: string; remove(): void };
let botKey: TestKey;
let carolKey: TestKey;
let backend: FakeBackend;
let xmpp: Xmpp;
let outbox: MemoryOutbox;
let alice: XmppUser;
let carol: XmppUser;
let stranger: XmppUser;
const logs = captureLogs();

beforeAll(async () => {
  [botKey, carolKey] = await Promise.all([makeKey(`xmpp:${BOT_JID}`), makeKey("xmpp:carol@localhost")]);
  prosody = await startProsody({
    users: ["smarty", "alice", "carol", "stranger"].map((u) => ({ username: u, password: `${u}-pw` })),
  });
  dir = tempDir("xmpp-bot");
  mkdirSync(join(dir.path, "contacts"));
  writeFileSync(join(dir.path, "contacts", "carol.asc"), carolKey.armoredPublic);
  writeFileSync(join(dir.path, "bot.asc"), botKey.armoredPrivate);
  const env = {
    XMPP_SERVICE: prosody.directTlsService ?? "",
    XMPP_DOMAIN: "localhost",
    XMPP_USERNAME: "smarty",
    XMPP_PASSWORD: "smarty-pw",
    XMPP_ALLOWED_JIDS: "alice@localhost, Carol@localhost",
    XMPP_CA_FILE: prosody.caFile ?? "",
    XMPP_PGP_KEYS: join(dir.path, "contacts"),
    XMPP_PGP_PRIVATE_KEY_FILE: join(dir.path, "bot.asc"),
    // Opt-ins this file relies on: Carol's plaintext "now" and the live power as presence status.
    // xmpp-guard.test.ts covers the defaults.
    XMPP_ALLOW_PLAINTEXT_FROM_KEYED: "true",
    XMPP_PRESENCE_STATUS: "live",
  };
  const settings = xmppSettings(loadConfig(z.object(xmppEnv), env));
  if (!settings) throw new Error("bot not enabled");
  backend = new FakeBackend(() => NOW);
  xmpp = await createXmpp({
    settings,
    backend,
    logger: logs.logger,
    clock,
    // The clock stands still, so no token ever comes back: room for every command of this file.
    tuning: {
      reconnectMinMs: 100,
      ackTimeoutMs: 5000,
      presenceIntervalMs: 300,
      commandRate: { burst: 100, refillMs: 1000 },
    },
  });
  await startAll(xmpp.components, logs.logger);
  outbox = new MemoryOutbox(xmpp.channel);
  outbox.start();
  [alice, carol, stranger] = await Promise.all([
    connectUser(prosody, "alice", "alice-pw"),
    connectUser(prosody, "carol", "carol-pw"),
    connectUser(prosody, "stranger", "stranger-pw"),
  ]);
  await waitFor(() => xmpp.connection.online, 10_000, "bot online");
});

afterAll(async () => {
  outbox?.stop();
  await Promise.all([alice, carol, stranger].map((u) => u?.stop()));
  if (xmpp) await stopAll(xmpp.components, logs.logger);
  await prosody?.stop();
  dir?.remove();
});

describe("commands from an allowed JID", () => {
  it("answers every command with the values of the readings and statistics", async () => {
    const ask = async (text: string) => (await alice.ask(BOT_JID, text)).getChildText("body");
    expect(await ask("now")).toBe(NOW_TEXT.join("\n"));
    expect(await ask("Today")).toBe(
      [
        "Today so far (since 00:00)",
        "Import 8.40 kWh · Export 1.20 kWh",
        "Cost 2.35 €",
        "Peak 3.21 kW (15 min) at 18:45",
        "Yesterday: 12.1 kWh, 3.38 €",
        "At this pace: 11.2 kWh (-7 %)",
      ].join("\n"),
    );
    expect(await ask("yesterday")).toBe(
      ["Yesterday (Thu 2 Apr)", "Import 12.1 kWh", "Cost 3.38 €", "Peak 4.02 kW (15 min) at Thu 2 Apr 19:15"].join(
        "\n",
      ),
    );
    expect(await ask("WEEK")).toBe(
      [
        "This week so far (since Mon 30 Mar)",
        "Import 60.0 kWh",
        "Cost 16.80 €",
        "Last week: 85.0 kWh, 23.80 €",
        "At this pace: 88.4 kWh (+4 %)",
      ].join("\n"),
    );
    expect(await ask("month")).toBe(
      ["This month so far (since Wed 1 Apr)", "Import 30.5 kWh", "Cost 8.54 €", "Last month: 350 kWh, 98.00 €"].join(
        "\n",
      ),
    );
    expect(await ask("status")).toBe(
      [
        "Meter SAG1030700012701: online, last reading 4 s ago",
        "Ingest main: ok, 1234 frames",
        "Broker: connected",
        "Alerts: 0 active",
      ].join("\n"),
    );
    expect(await ask("alerts")).toBe("No active alerts.");
    backend.alerts = [alert({ id: "power_high", severity: "warning", message: "Power import above 7 kW for 5 min" })];
    expect(await ask("alerts")).toBe("1 active:\n- [warning] Power import above 7 kW for 5 min (since 17:40)");
    expect(await ask("mute 2h")).toBe("Alerts muted for 2h, until 20:00.");
    expect(backend.mutedUntil()).toBe(NOW + 7_200_000);
    expect(await ask("unmute")).toBe("Alerts unmuted.");
    expect(await ask("report week")).toBe("Daily report sent to 1 recipient.");
    expect(backend.reports).toEqual(["week"]);
    expect(await ask("help")).toMatch(/^Commands:\nnow - power, phases, voltage\n/);
    expect(await ask("frobnicate")).toBe('Unknown command "frobnicate". Send help for the list.');
    backend.alerts = [];
  });

  it("accepts the subscription of an allowed JID and shows the power as presence status", async () => {
    await alice.sendStanza(xml("presence", { to: BOT_JID, type: "subscribe" }));
    await waitFor(() => alice.presences.find((p) => p.attrs.type === "subscribed"), 5000, "subscribed");
    const status = await waitFor(
      () => alice.presences.find((p) => String(p.attrs.from).startsWith(`${BOT_JID}/`) && p.getChildText("status")),
      5000,
      "bot presence",
    );
    expect(status.getChildText("status")).toBe("0.9 kW export");
  });
});

describe("strangers", () => {
  it("get no answer, are counted, and are logged once per burst", async () => {
    await stranger.send(BOT_JID, "now");
    await stranger.send(BOT_JID, "help");
    await waitFor(() => xmpp.bot.counters.stranger_messages === 2, 5000, "stranger messages counted");
    // An allowed user's answer after the stranger's messages: anything for the stranger would have come first.
    expect((await alice.ask(BOT_JID, "help")).getChildText("body")).toMatch(/^Commands:/);
    expect(stranger.messagesFrom(BOT_JID)).toEqual([]);
    expect(logs.lines.filter((l) => l.msg === "message from a JID not on the allow-list; ignored")).toHaveLength(1);
  });

  it("have their subscription request declined", async () => {
    await stranger.sendStanza(xml("presence", { to: BOT_JID, type: "subscribe" }));
    await waitFor(() => stranger.presences.find((p) => p.attrs.type === "unsubscribed"), 5000, "unsubscribed");
    expect(xmpp.bot.counters.stranger_subscriptions).toBe(1);
  });
});

describe("alerts through the outbox", () => {
  it("arrive at an allowed JID once", async () => {
    const silent = alert({ id: "meter_silent", severity: "critical", message: "Meter silent for 60 s" });
    await outbox.enqueue("xmpp", "alice@localhost", { kind: "alert", alert: silent, text: "unused" }, "silent-1");
    await outbox.enqueue("xmpp", "alice@localhost", { kind: "alert", alert: silent, text: "unused" }, "silent-1");
    const before = alice.messagesFrom(BOT_JID).length;
    const m = await alice.message(BOT_JID, before);
    expect(m.getChildText("body")).toBe("[critical] Meter silent for 60 s (since 17:40)");
    expect(m.attrs.type).toBe("chat");
  });

  it("are refused for a JID that is not allowed", async () => {
    await outbox.enqueue("xmpp", "stranger@localhost", { kind: "chat", text: "hello" });
    await waitFor(() => outbox.failed.length === 1, 5000, "refused message");
    expect(outbox.failed[0]?.error.message).toBe("recipient stranger@localhost is not in XMPP_ALLOWED_JIDS");
  });
});

describe("OpenPGP for XMPP with a contact key", () => {
  it("sends only ciphertext that the contact's key decrypts, verified by openpgp.js and GnuPG", async () => {
    const stanza = await carol.ask(BOT_JID, "now");
    const raw = stanza.toString();
    for (const line of NOW_TEXT) expect(raw).not.toContain(line);
    // Outside the base64 ciphertext (which may spell "kW" by chance) no word of the answer appears.
    const clear = stanza.children.filter((c) => typeof c === "string" || !c.is("openpgp")).join("");
    expect(`${JSON.stringify(stanza.attrs)}${clear}`).not.toMatch(/kW|Voltage|Export|0\.90/);
    expect(stanza.getChildText("body")).toBe(OX_FALLBACK_BODY);
    expect(stanza.getChild("encryption", "urn:xmpp:eme:0")?.attrs.namespace).toBe("urn:xmpp:openpgp:0");
    const base64 = oxPayload(stanza);
    const ox = await readOx(base64, carolKey, botKey);
    expect(ox).toMatchObject({ to: ["carol@localhost"], body: NOW_TEXT.join("\n"), signatures: 1 });
    const gpg = gpgDecrypt(base64, carolKey, botKey);
    expect(gpg.status).toMatch(/\[GNUPG:\] GOODSIG [0-9A-F]+ xmpp:smarty@localhost/);
    const signcrypt = parseXml(gpg.plaintext);
    expect(signcrypt.is("signcrypt", "urn:xmpp:openpgp:0")).toBe(true);
    expect(signcrypt.getChild("payload")?.getChildText("body")).toBe(NOW_TEXT.join("\n"));
  });

  it("encrypts alerts to the contact too", async () => {
    const before = carol.messagesFrom(BOT_JID).length;
    const breaker = alert({ id: "breaker", severity: "critical", message: "Breaker opened" });
    await outbox.enqueue("xmpp", "carol@localhost", { kind: "alert", alert: breaker, text: "Breaker opened" });
    const m = await carol.message(BOT_JID, before);
    expect(m.toString()).not.toContain("Breaker");
    expect((await readOx(oxPayload(m), carolKey, botKey)).body).toBe("[critical] Breaker opened (since 17:40)");
  });

  it("announces the bot's public key over PEP for the contact's client to fetch", async () => {
    const items = async (node: string) =>
      (await carol.client.iqCaller.get(
        xml("pubsub", { xmlns: "http://jabber.org/protocol/pubsub" }, xml("items", { node })),
        BOT_JID,
      )) as Element;
    const fingerprint = botKey.publicKey.getFingerprint().toUpperCase();
    const list = await waitFor(
      async () => (await items("urn:xmpp:openpgp:0:public-keys")).getChild("items")?.getChild("item"),
      5000,
      "public key list",
    );
    expect(list.getChild("public-keys-list", "urn:xmpp:openpgp:0")?.getChild("pubkey-metadata")?.attrs).toMatchObject({
      "v4-fingerprint": fingerprint,
    });
    const item = (await items(`urn:xmpp:openpgp:0:public-keys:${fingerprint}`)).getChild("items")?.getChild("item");
    const data = item?.getChild("pubkey", "urn:xmpp:openpgp:0")?.getChildText("data") ?? "";
    const published = await readKey({ binaryKey: Buffer.from(data, "base64") });
    expect(published.getFingerprint().toUpperCase()).toBe(fingerprint);
    expect(published.isPrivate()).toBe(false);
  });

  it("accepts an encrypted command signed by the contact and refuses one signed by another key", async () => {
    const command = async (signer: TestKey, text: string) => {
      const content = signcryptElement([BOT_JID], text, new Date(NOW), "x").toString();
      const binary = await encrypt({
        message: await createMessage({ binary: new TextEncoder().encode(content) }),
        encryptionKeys: botKey.publicKey,
        signingKeys: signer.privateKey,
        format: "binary",
      });
      const before = carol.messagesFrom(BOT_JID).length;
      await carol.sendStanza(oxMessageStanza(BOT_JID, `cmd-${before}`, Buffer.from(binary).toString("base64")));
      return (await readOx(oxPayload(await carol.message(BOT_JID, before)), carolKey, botKey)).body;
    };
    expect(await command(carolKey, "alerts")).toBe("No active alerts.");
    const mallory = await makeKey("xmpp:carol@localhost");
    expect(await command(mallory, "mute 30d")).toBe(
      "Your encrypted message could not be read; see the notifier's log.",
    );
    expect(xmpp.bot.counters.rejected_encrypted).toBe(1);
    expect(backend.mutedUntil()).toBeNull();
  });
});

describe("server restart", () => {
  it("delivers an alert queued while Prosody was down once it is back, exactly once", async () => {
    const temporary = xmpp.connection.counters.losses;
    await prosody.pause();
    await waitFor(() => !xmpp.channel.available, 10_000, "bot offline");
    expect(xmpp.connection.counters.losses).toBe(temporary + 1);
    const sag = alert({ id: "voltage_low", severity: "warning", message: "Voltage L1 below 207 V" });
    const payload = { kind: "alert" as const, alert: sag, text: "unused" };
    await expect(
      xmpp.channel.deliver({ id: "x", channel: "xmpp", to: "alice@localhost", created_at: "", attempts: 0, payload }),
    ).rejects.toBeInstanceOf(TemporaryDeliveryError);
    await outbox.enqueue("xmpp", "alice@localhost", payload);
    await prosody.resume();
    await waitFor(() => xmpp.channel.available, 20_000, "bot back online");
    const text = "[warning] Voltage L1 below 207 V (since 17:40)";
    await waitFor(() => alice.messagesFrom(BOT_JID).some((m) => m.getChildText("body") === text), 20_000, "alert");
    // A later message on the same path arrives after any duplicate would have.
    await outbox.enqueue("xmpp", "alice@localhost", { kind: "chat", text: "sentinel" });
    await waitFor(() => alice.messagesFrom(BOT_JID).some((m) => m.getChildText("body") === "sentinel"), 10_000);
    expect(alice.messagesFrom(BOT_JID).filter((m) => m.getChildText("body") === text)).toHaveLength(1);
    await waitFor(() => outbox.pending.length === 0, 5000, "outbox empty");
  });
});
