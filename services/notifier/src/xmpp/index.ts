/**
 * The XMPP part of the notifier: an outbox delivery channel and a chat bot sharing one session.
 *
 *   const settings = xmppSettings(config);              // undefined when XMPP_SERVICE is unset
 *   const xmpp = settings && await createXmpp({ settings, backend, logger, clock });
 *   // xmpp.channel → the outbox worker; xmpp.components → runService (the bot owns the session)
 */
import type { Language } from "@smarty/i18n";
import { type Clock, type Component, type Logger, systemClock } from "@smarty/service-kit";
import type { BotBackend } from "../ports.js";
import { XmppBot } from "./bot.js";
import { XmppChannel } from "./channel.js";
import type { XmppSettings } from "./config.js";
import { XmppConnection } from "./connection.js";
import { EMPTY_KEYRING, loadPgpKeyring } from "./pgp-keys.js";
import type { RateLimit } from "./rate-limit.js";
import { readCaFile, trustCaForStartTls } from "./tls-trust.js";

export * from "./answers.js";
export * from "./backoff.js";
export { XmppBot } from "./bot.js";
export { payloadText, XmppChannel, XmppDeliveryError } from "./channel.js";
export * from "./commands.js";
export * from "./config.js";
export { NotConnectedError, XmppConnection } from "./connection.js";
export * from "./format.js";
export { NS_OX, OX_FALLBACK_BODY, OxError, oxDecrypt, oxEncrypt, signcryptElement } from "./ox.js";
export { NS_OX_PUBLIC_KEYS, publicKeyAnnouncement } from "./ox-pep.js";
export { loadPgpKeyring, type PgpKeyring, xmppUserIds } from "./pgp-keys.js";
export * from "./rate-limit.js";
export { InsecureStreamError, trustCaForStartTls } from "./tls-trust.js";

export interface CreateXmppOptions {
  readonly settings: XmppSettings;
  readonly backend: BotBackend;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Calendar of the household for times in answers; Europe/Luxembourg by default. */
  readonly timeZone?: string;
  /** SMARTY_LANGUAGE for answers and pushed alerts; English when unset. */
  readonly language?: Language;
  /** Timings, for tests; production uses the defaults. */
  readonly tuning?: {
    readonly reconnectMinMs?: number;
    readonly connectTimeoutMs?: number;
    readonly pingIntervalMs?: number;
    readonly ackTimeoutMs?: number;
    readonly presenceIntervalMs?: number;
    readonly commandRate?: RateLimit;
    readonly reportRate?: RateLimit;
  };
}

export interface Xmpp {
  readonly channel: XmppChannel;
  readonly bot: XmppBot;
  readonly connection: XmppConnection;
  /** Give these to runService/startAll; the bot starts and stops the session. */
  readonly components: readonly Component[];
}

/**
 * Builds the channel and the bot; loads keys and the CA file.
 * @throws ConfigError for an unreadable CA or key file, an unusable key, or a CA that cannot be trusted for STARTTLS.
 */
export async function createXmpp(options: CreateXmppOptions): Promise<Xmpp> {
  const { settings, tuning = {} } = options;
  const clock = options.clock ?? systemClock;
  const log = options.logger.child({ component: "xmpp" });
  let caPem: string | undefined;
  if (settings.caFile) {
    const pem = readCaFile(settings.caFile);
    if (settings.service.startsWith("xmpps:")) caPem = pem;
    else log.info({ ca_file: settings.caFile, via: trustCaForStartTls(settings.caFile, pem) }, "xmpp CA trusted");
  }
  const usesPgp = settings.pgpKeysPath !== undefined || settings.pgpPrivateKey !== undefined;
  const keyring = usesPgp ? await loadPgpKeyring(settings, log) : EMPTY_KEYRING;
  if (!usesPgp) log.info("no OpenPGP keys configured: chat messages are protected by TLS only");
  const connection = new XmppConnection({
    settings,
    log,
    clock,
    caPem,
    ...(tuning.reconnectMinMs !== undefined ? { reconnectMinMs: tuning.reconnectMinMs } : {}),
    ...(tuning.connectTimeoutMs !== undefined ? { connectTimeoutMs: tuning.connectTimeoutMs } : {}),
    ...(tuning.pingIntervalMs !== undefined ? { pingIntervalMs: tuning.pingIntervalMs } : {}),
    ...(tuning.ackTimeoutMs !== undefined ? { ackTimeoutMs: tuning.ackTimeoutMs } : {}),
  });
  const timeZone = {
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.language ? { language: options.language } : {}),
  };
  const bot = new XmppBot({
    settings,
    connection,
    backend: options.backend,
    keyring,
    log,
    clock,
    ...timeZone,
    ...(tuning.presenceIntervalMs !== undefined ? { presenceIntervalMs: tuning.presenceIntervalMs } : {}),
    ...(tuning.commandRate ? { commandRate: tuning.commandRate } : {}),
    ...(tuning.reportRate ? { reportRate: tuning.reportRate } : {}),
  });
  const channel = new XmppChannel({ settings, connection, keyring, log, now: () => clock.now(), ...timeZone });
  return { channel, bot, connection, components: [bot] };
}
