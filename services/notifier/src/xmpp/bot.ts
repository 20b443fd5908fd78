/**
 * The chat bot: answers commands from allowed JIDs, ignores everyone else (counted, logged once per burst),
 * accepts subscription requests from allowed JIDs and declines the rest (RFC 6121 §3.1-3.2), and keeps a short
 * presence status (nothing, "meter online", or "3.2 kW import": XMPP_PRESENCE_STATUS). Replies to a contact with a
 * configured OpenPGP key are encrypted (XEP-0374); such a contact's commands are accepted only encrypted and signed
 * by its key (see ox.ts), unless XMPP_ALLOW_PLAINTEXT_FROM_KEYED: a server can forge any `from`, but not a
 * signature. Commands and reports are rate-limited per contact (rate-limit.ts).
 */
import { type Language, t } from "@smarty/i18n";
import { BurstLogger, type Clock, type Component, type Logger, type TimerHandle } from "@smarty/service-kit";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import type { BotBackend } from "../ports.js";
import { presenceStatus } from "./answers.js";
import { parseCommand, runCommand } from "./commands.js";
import { bareJid, type XmppSettings } from "./config.js";
import type { XmppConnection } from "./connection.js";
import { NS_OX, OxError, oxDecrypt, oxEncrypt, oxMessageStanza } from "./ox.js";
import { publicKeyAnnouncement } from "./ox-pep.js";
import type { PgpKeyring } from "./pgp-keys.js";
import { COMMAND_RATE, type RateLimit, REPORT_RATE, TokenBuckets } from "./rate-limit.js";

/** Longest command text considered; anything longer is not a command. */
const MAX_COMMAND_CHARS = 500;

export interface XmppBotOptions {
  readonly settings: XmppSettings;
  readonly connection: XmppConnection;
  readonly backend: BotBackend;
  readonly keyring: PgpKeyring;
  readonly log: Logger;
  readonly clock: Clock;
  readonly timeZone?: string;
  /** SMARTY_LANGUAGE; English when unset. */
  readonly language?: Language;
  readonly presenceIntervalMs?: number;
  /** Per-contact limits; COMMAND_RATE and REPORT_RATE by default. */
  readonly commandRate?: RateLimit;
  readonly reportRate?: RateLimit;
}

export class XmppBot implements Component {
  readonly name = "xmpp-bot";
  readonly counters = {
    commands: 0,
    stranger_messages: 0,
    stranger_subscriptions: 0,
    rejected_encrypted: 0,
    rejected_plaintext: 0,
    rate_limited: 0,
  };
  private readonly allowed: ReadonlySet<string>;
  private readonly burst: BurstLogger;
  private readonly commandBuckets: TokenBuckets;
  private readonly reportBuckets: TokenBuckets;
  private presenceTimer: TimerHandle | undefined;
  private sentStatus: string | undefined;
  private nextId = 0;
  private wired = false;

  constructor(private readonly o: XmppBotOptions) {
    this.allowed = new Set(o.settings.allowedJids);
    this.burst = new BurstLogger(o.log, o.clock, 10 * 60_000);
    const now = () => o.clock.now();
    this.commandBuckets = new TokenBuckets(o.commandRate ?? COMMAND_RATE, now);
    this.reportBuckets = new TokenBuckets(o.reportRate ?? REPORT_RATE, now);
  }

  start(): void {
    if (!this.wired) {
      this.wired = true;
      this.o.connection.onStanza((s) => this.onStanza(s));
      this.o.connection.onOnline(async () => {
        // Asking for the roster makes this session "interested" (RFC 6121 §2.1.6): the server then delivers
        // subscription requests to it, including those that waited while the bot was offline.
        await this.o.connection
          .request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })))
          .catch((err: unknown) => this.o.log.warn({ err }, "roster request failed"));
        this.sentStatus = undefined;
        await this.updatePresence();
        await this.announceKey();
      });
    }
    // Presence goes to every subscribed device; a slow pace spares phones' batteries and data.
    const every = this.o.presenceIntervalMs ?? this.o.settings.presenceIntervalMs;
    if (every > 0 && this.o.settings.presenceStatus !== "off")
      this.presenceTimer = this.o.clock.setInterval(() => void this.updatePresence(), every);
    this.o.connection.start();
  }

  async stop(): Promise<void> {
    if (this.presenceTimer !== undefined) this.o.clock.clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
    this.burst.flush();
    await this.o.connection.stop();
  }

  /** Sends the presence status when it changed (or after a reconnect). */
  async updatePresence(): Promise<void> {
    if (!this.o.connection.online) return;
    const { backend, clock, settings } = this.o;
    const mode = settings.presenceStatus;
    // "off": available, and nothing else; the status text crosses every server in clear (RFC 6121 §4.7).
    const status =
      mode === "off" ? "" : presenceStatus(backend.latest(), backend.latestReceivedAt(), clock.now(), mode, this.lang);
    if (status === this.sentStatus) return;
    const away = status === t(this.lang, "bot.presence.silent") || status === t(this.lang, "bot.presence.waiting");
    try {
      await this.o.connection.send(
        xml(
          "presence",
          {},
          ...(away ? [xml("show", {}, "away")] : []),
          ...(status === "" ? [] : [xml("status", {}, status)]),
        ),
      );
      this.sentStatus = status;
    } catch (err) {
      this.o.log.debug({ err }, "presence not sent");
    }
  }

  /** Publishes the bot's public key over PEP after each login; a server without PEP only costs a warning. */
  private async announceKey(): Promise<void> {
    const key = this.o.keyring.botKey;
    if (!key) return;
    try {
      for (const iq of publicKeyAnnouncement(key)) await this.o.connection.request(iq);
      this.o.log.debug({ fingerprint: key.getFingerprint().toUpperCase() }, "openpgp key announced");
    } catch (err) {
      this.o.log.warn({ err }, "openpgp key not announced over PEP");
    }
  }

  private onStanza(stanza: Element): void {
    if (stanza.is("presence")) this.onPresence(stanza);
    else if (stanza.is("message")) {
      this.onMessage(stanza).catch((err: unknown) => this.o.log.warn({ err }, "chat message handling failed"));
    }
  }

  private onPresence(stanza: Element): void {
    if (stanza.attrs.type !== "subscribe" || typeof stanza.attrs.from !== "string") return;
    const from = bareJid(stanza.attrs.from);
    const allowed = this.allowed.has(from);
    if (!allowed) {
      this.counters.stranger_subscriptions++;
      this.burst.warn("stranger-subscription", { from }, "subscription request from a JID not on the allow-list");
    } else {
      this.o.log.info({ from }, "subscription accepted");
    }
    const answer = xml("presence", { to: from, type: allowed ? "subscribed" : "unsubscribed" });
    this.o.connection.send(answer).catch((err: unknown) => this.o.log.debug({ err }, "subscription answer not sent"));
  }

  private async onMessage(stanza: Element): Promise<void> {
    const type = stanza.attrs.type ?? "normal";
    const from = stanza.attrs.from;
    if (typeof from !== "string" || (type !== "chat" && type !== "normal")) return;
    const bare = bareJid(from);
    if (bare === this.o.settings.jid) return;
    if (!this.allowed.has(bare)) {
      // No answer at all: a stranger learns nothing, not even that a bot listens here.
      this.counters.stranger_messages++;
      this.burst.warn("stranger-message", { from: bare }, "message from a JID not on the allow-list; ignored");
      return;
    }
    const encrypted = stanza.getChild("openpgp", NS_OX);
    const body = stanza.getChildText("body");
    if (!encrypted && (body === null || body.trim() === "")) return; // chat states, receipts: not a command
    // Limited before any work (decryption is the costly part): one short answer per burst, then silence.
    const verdict = this.commandBuckets.take(bare);
    if (verdict !== "ok") {
      this.counters.rate_limited++;
      this.burst.warn("rate-limited", { from: bare }, "chat commands rate-limited");
      if (verdict === "limited") await this.reply(from, bare, t(this.lang, "bot.limited"));
      return;
    }
    if (!encrypted && this.o.keyring.contacts.has(bare) && !this.o.settings.allowPlaintextFromKeyed) {
      // Whoever can forge this contact's `from` (its server, ours) must not run commands; only its key signs.
      this.counters.rejected_plaintext++;
      this.burst.warn("plaintext-from-keyed", { from: bare }, "plaintext command from a contact with a key; ignored");
      await this.reply(from, bare, t(this.lang, "bot.plaintext_refused"));
      return;
    }
    let text: string | undefined;
    if (encrypted) {
      text = await this.decrypt(bare, encrypted.text());
      if (text === undefined) {
        await this.reply(from, bare, "Your encrypted message could not be read; see the notifier's log.");
        return;
      }
    } else {
      text = body ?? undefined;
    }
    if (text === undefined || text.trim() === "" || text.length > MAX_COMMAND_CHARS) return;
    const command = parseCommand(text);
    if (command.name === "report") {
      // Each report is mailed: a tighter bucket of its own.
      const report = this.reportBuckets.take(bare);
      if (report !== "ok") {
        this.counters.rate_limited++;
        this.burst.warn("report-rate-limited", { from: bare }, "report commands rate-limited");
        const minutes = Math.ceil(this.reportBuckets.waitMs(bare) / 60_000);
        if (report === "limited") await this.reply(from, bare, `Too many reports; try again in ${minutes} min.`);
        return;
      }
    }
    this.counters.commands++;
    this.o.log.info({ from: bare, command: command.name, encrypted: encrypted !== undefined }, "chat command");
    const answer = await runCommand(command, this.o.backend, this.ctx());
    await this.reply(from, bare, answer);
  }

  private async decrypt(bare: string, base64: string): Promise<string | undefined> {
    const { botKey, contacts } = this.o.keyring;
    const senderKeys = contacts.get(bare);
    try {
      if (!botKey || !senderKeys)
        throw new OxError("not_decryptable", "no bot key or no key configured for this contact");
      return await oxDecrypt({ base64, botJid: this.o.settings.jid, botKey, senderKeys, now: this.o.clock.now() });
    } catch (err) {
      this.counters.rejected_encrypted++;
      const reason = err instanceof OxError ? err.reason : "error";
      this.o.log.warn({ from: bare, reason, err }, "encrypted command rejected");
      return undefined;
    }
  }

  /** Answers on the resource that asked; encrypted when the contact has a key, plaintext (TLS only) otherwise. */
  private async reply(to: string, bare: string, text: string): Promise<void> {
    const id = `smarty-${this.o.clock.now().toString(36)}-${(this.nextId++).toString(36)}`;
    const keys = this.o.keyring.contacts.get(bare);
    const botKey = this.o.keyring.botKey;
    let stanza: Element;
    if (keys) {
      // Fail closed: a contact with a key never gets plaintext, even when encryption fails.
      if (!botKey) throw new Error("contact has an OpenPGP key but the bot has none (XMPP_PGP_PRIVATE_KEY)");
      const base64 = await oxEncrypt({
        to: bare,
        text,
        recipientKeys: keys,
        botKey,
        now: new Date(this.o.clock.now()),
      });
      stanza = oxMessageStanza(to, id, base64);
    } else {
      stanza = xml("message", { type: "chat", to, id }, xml("body", {}, text));
    }
    await this.o.connection.send(stanza);
  }

  private get lang(): Language {
    return this.o.language ?? "en";
  }

  private ctx() {
    return { now: this.o.clock.now(), language: this.lang, ...(this.o.timeZone ? { timeZone: this.o.timeZone } : {}) };
  }
}
