/**
 * What the bot lets through, against a real Prosody with TLS: a contact with an OpenPGP key cannot command the bot
 * in plaintext (its server could forge that) unless XMPP_ALLOW_PLAINTEXT_FROM_KEYED says so; commands and reports are
 * rate-limited per contact with one short answer per burst; and the presence status tells nothing about the power
 * unless asked to (off with OpenPGP, "meter online" without). Three bots share the server, each with its own config.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Clock, loadConfig, startAll, stopAll, systemClock } from "@smarty/service-kit";
import { type Prosody, startProsody, tempDir, waitFor } from "@smarty/testkit";
import { connectUser, type XmppUser } from "@smarty/testkit/xmpp-user";
import { xml } from "@xmpp/client";
import { createMessage, encrypt } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createXmpp, signcryptElement, type Xmpp, xmppEnv, xmppSettings } from "../../src/xmpp/index.js";
import { oxMessageStanza } from "../../src/xmpp/ox.js";
import { oxPayload, readOx } from "../xmpp/support/gpg-check.js";
import { makeKey, type TestKey } from "../xmpp/support/keys.js";
import { captureLogs } from "../xmpp/support/log-capture.js";
import { FakeBackend, NOW } from "../xmpp/support/samples.js";

/** Real timers; answers and rate limits see this time, which the tests move. */
let now = NOW;
const clock: Clock = { ...systemClock, now: () => now };

let prosody: Prosody;
let dir: { path: string; remove(): void };
let botKey: TestKey;
let carolKey: TestKey;
let alice: XmppUser;
let carol: XmppUser;
const logs = captureLogs();
const bots: Record<"guarded" | "relaxed" | "plain", { xmpp: Xmpp; backend: FakeBackend; jid: string }> = {} as never;

async function startBot(name: keyof typeof bots, extra: Record<string, string>): Promise<void> {
  const env = {
    XMPP_SERVICE: prosody.directTlsService ?? "",
    XMPP_DOMAIN: "localhost",
    XMPP_USERNAME: name,
    XMPP_PASSWORD: `${name}-pw`,
    XMPP_ALLOWED_JIDS: "alice@localhost,carol@localhost",
    XMPP_CA_FILE: prosody.caFile ?? "",
    ...extra,
  };
  const settings = xmppSettings(loadConfig(z.object(xmppEnv), env));
  if (!settings) throw new Error("bot not enabled");
  const backend = new FakeBackend(() => now);
  const xmpp = await createXmpp({ settings, backend, logger: logs.logger, clock, tuning: { reconnectMinMs: 100 } });
  await startAll(xmpp.components, logs.logger);
  await waitFor(() => xmpp.connection.online, 10_000, `${name} online`);
  bots[name] = { xmpp, backend, jid: `${name}@localhost` };
}

/** Carol's command, signed by her key and encrypted to the bot's (XEP-0374 signcrypt). */
async function signcrypted(to: string, text: string): Promise<string> {
  const content = signcryptElement([to], text, new Date(now), "x").toString();
  const binary = await encrypt({
    message: await createMessage({ binary: new TextEncoder().encode(content) }),
    encryptionKeys: botKey.publicKey,
    signingKeys: carolKey.privateKey,
    format: "binary",
  });
  return Buffer.from(binary).toString("base64");
}

/** Carol's next answer from `bot`, decrypted. */
async function carolReads(bot: string, n: number): Promise<string> {
  return (await readOx(oxPayload(await carol.message(bot, n)), carolKey, botKey)).body ?? "";
}

beforeAll(async () => {
  [botKey, carolKey] = await Promise.all([makeKey("xmpp:guarded@localhost"), makeKey("xmpp:carol@localhost")]);
  prosody = await startProsody({
    users: ["guarded", "relaxed", "plain", "alice", "carol"].map((u) => ({ username: u, password: `${u}-pw` })),
  });
  dir = tempDir("xmpp-guard");
  mkdirSync(join(dir.path, "contacts"));
  writeFileSync(join(dir.path, "contacts", "carol.asc"), carolKey.armoredPublic);
  writeFileSync(join(dir.path, "bot.asc"), botKey.armoredPrivate);
  const pgp = { XMPP_PGP_KEYS: join(dir.path, "contacts"), XMPP_PGP_PRIVATE_KEY_FILE: join(dir.path, "bot.asc") };
  await startBot("guarded", pgp);
  await startBot("relaxed", { ...pgp, XMPP_ALLOW_PLAINTEXT_FROM_KEYED: "true" });
  await startBot("plain", {});
  [alice, carol] = await Promise.all([
    connectUser(prosody, "alice", "alice-pw"),
    connectUser(prosody, "carol", "carol-pw"),
  ]);
});

afterAll(async () => {
  await Promise.all([alice, carol].map((u) => u?.stop()));
  for (const b of Object.values(bots)) await stopAll(b.xmpp.components, logs.logger);
  await prosody?.stop();
  dir?.remove();
});

describe("a contact with an OpenPGP key", () => {
  it("cannot mute the bot with a plaintext command (a forged from), and is told so, encrypted", async () => {
    const { xmpp, backend, jid } = bots.guarded;
    await carol.send(jid, "mute 30d");
    const answer = await carolReads(jid, 0);
    expect(answer).toBe(
      "Commands from you are accepted only OpenPGP-encrypted and signed (XEP-0373); this one was ignored.",
    );
    expect(backend.mutedUntil()).toBeNull();
    expect(xmpp.bot.counters).toMatchObject({ rejected_plaintext: 1, commands: 0 });
    expect(logs.lines.some((l) => l.msg === "plaintext command from a contact with a key; ignored")).toBe(true);
  });

  it("still runs the same command signed and encrypted", async () => {
    const { backend, jid } = bots.guarded;
    await carol.sendStanza(oxMessageStanza(jid, "c1", await signcrypted(jid, "mute 2h")));
    expect(await carolReads(jid, 1)).toMatch(/^Alerts muted for 2h/);
    expect(backend.mutedUntil()).toBe(now + 7_200_000);
  });

  it("may use plaintext when XMPP_ALLOW_PLAINTEXT_FROM_KEYED=true; the answer is still encrypted", async () => {
    const { backend, jid } = bots.relaxed;
    await carol.send(jid, "mute 1h");
    expect(await carolReads(jid, 0)).toMatch(/^Alerts muted for 1h/);
    expect(backend.mutedUntil()).toBe(now + 3_600_000);
  });
});

describe("rate limits per contact", () => {
  it("answers ten commands at once, the eleventh with one short answer, then nothing until a token is back", async () => {
    const { xmpp, jid } = bots.guarded;
    const before = alice.messagesFrom(jid).length;
    for (let i = 0; i < 14; i++) await alice.send(jid, "help");
    await waitFor(() => xmpp.bot.counters.rate_limited === 4, 10_000, "four commands limited");
    await alice.message(jid, before + 10);
    // Another contact is not held up by Alice's flood.
    await carol.sendStanza(oxMessageStanza(jid, "c2", await signcrypted(jid, "alerts")));
    expect(await carolReads(jid, 2)).toMatch(/^No active alerts\./);
    now += 6_000;
    expect((await alice.ask(jid, "alerts")).getChildText("body")).toMatch(/^No active alerts\./);
    const bodies = alice
      .messagesFrom(jid)
      .slice(before)
      .map((m) => m.getChildText("body") ?? "");
    // Answers to one burst may overtake each other; their number is what counts.
    expect(bodies).toHaveLength(12);
    expect(bodies.filter((b) => b.startsWith("Commands:"))).toHaveLength(10);
    expect(bodies.filter((b) => b === "Too many commands; wait a minute, then try again.")).toHaveLength(1);
    expect(bodies[11]).toMatch(/^No active alerts\./);
    now += 60_000;
  });

  it("lets three reports through, then asks to wait, then stays silent", async () => {
    const { backend, jid } = bots.plain;
    for (let i = 0; i < 3; i++) {
      expect((await alice.ask(jid, "report")).getChildText("body")).toBe("Daily report sent to 1 recipient.");
    }
    expect((await alice.ask(jid, "report week")).getChildText("body")).toBe("Too many reports; try again in 20 min.");
    const before = alice.messagesFrom(jid).length;
    await alice.send(jid, "report");
    expect((await alice.ask(jid, "help")).getChildText("body")).toMatch(/^Commands:/);
    expect(alice.messagesFrom(jid)).toHaveLength(before + 1);
    expect(backend.reports).toEqual(["day", "day", "day"]);
    now += 20 * 60_000;
    expect((await alice.ask(jid, "report")).getChildText("body")).toBe("Daily report sent to 1 recipient.");
  });
});

describe("presence status", () => {
  it("says nothing about the power with OpenPGP configured, and only 'meter online' without", async () => {
    for (const b of [bots.guarded, bots.plain])
      await alice.sendStanza(xml("presence", { to: b.jid, type: "subscribe" }));
    const from = (jid: string) => () =>
      alice.presences.find((p) => String(p.attrs.from).startsWith(`${jid}/`) && p.attrs.type === undefined);
    const guarded = await waitFor(from(bots.guarded.jid), 5000, "guarded presence");
    const plain = await waitFor(from(bots.plain.jid), 5000, "plain presence");
    expect(guarded.getChild("status")).toBeUndefined();
    expect(guarded.getChild("show")).toBeUndefined();
    expect(plain.getChildText("status")).toBe("meter online");
    for (const p of alice.presences) expect(p.toString()).not.toMatch(/kW/);
  });
});
