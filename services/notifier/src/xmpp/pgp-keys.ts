/**
 * OpenPGP keys of the bot's contacts and of the bot itself, for OpenPGP for XMPP (XEP-0373 §4: a key belongs to
 * a JID through its user id `xmpp:<bare JID>`, as Profanity and Gajim's plugin expect). Contact keys come from
 * XMPP_PGP_KEYS (one armored or binary key file, or a folder of them); the bot's secret key from
 * XMPP_PGP_PRIVATE_KEY(_FILE). Any unusable key is a configuration error, reported with its file and fingerprint.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { ConfigError, type Logger } from "@smarty/service-kit";
import { decryptKey, type Key, type PrivateKey, type PublicKey, readKeys, readPrivateKey } from "openpgp";
import type { XmppSettings } from "./config.js";

export interface PgpKeyring {
  /** The bot's decrypted secret key; signs outgoing messages and decrypts incoming ones. */
  readonly botKey: PrivateKey | undefined;
  /** Contact public keys by lower-cased bare JID. */
  readonly contacts: ReadonlyMap<string, readonly PublicKey[]>;
}

export const EMPTY_KEYRING: PgpKeyring = { botKey: undefined, contacts: new Map() };

const KEY_EXTENSIONS = new Set([".asc", ".gpg", ".pgp", ".key", ".pub"]);
/** `xmpp:alice@example.org`, alone or as the address part of `Alice <xmpp:alice@example.org>`. */
const XMPP_UID = /(?:^|<)xmpp:([^\s<>/]+@[^\s<>/]+?)>?$/i;

/** The bare JIDs named by a key's `xmpp:` user ids, lower-cased. */
export function xmppUserIds(key: Key): string[] {
  return key.getUserIDs().flatMap((uid) => {
    const m = XMPP_UID.exec(uid.trim());
    return m?.[1] ? [m[1].toLowerCase()] : [];
  });
}

function keyFiles(path: string, problems: string[]): string[] {
  try {
    if (!statSync(path).isDirectory()) return [path];
    const files = readdirSync(path)
      .filter((f) => !f.startsWith(".") && KEY_EXTENSIONS.has(extname(f).toLowerCase()))
      .sort()
      .map((f) => join(path, f));
    if (files.length === 0) problems.push(`XMPP_PGP_KEYS: no key files (${[...KEY_EXTENSIONS].join(", ")}) in ${path}`);
    return files;
  } catch (err) {
    problems.push(`XMPP_PGP_KEYS: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    return [];
  }
}

function readKeyFile(file: string): Promise<Key[]> {
  const bytes = readFileSync(file);
  const text = bytes.toString("utf8");
  return text.includes("-----BEGIN PGP") ? readKeys({ armoredKeys: text }) : readKeys({ binaryKeys: bytes });
}

async function loadContacts(path: string, log: Logger, problems: string[]): Promise<Map<string, PublicKey[]>> {
  const contacts = new Map<string, PublicKey[]>();
  for (const file of keyFiles(path, problems)) {
    let keys: Key[];
    try {
      keys = await readKeyFile(file);
    } catch (err) {
      problems.push(`XMPP_PGP_KEYS: ${file} is not an OpenPGP key (${(err as Error).message})`);
      continue;
    }
    for (const key of keys) {
      const fingerprint = key.getFingerprint().toUpperCase();
      if (key.isPrivate())
        log.warn({ file, fingerprint }, "contact key file holds a secret key; using its public part");
      const jids = xmppUserIds(key);
      if (jids.length === 0) {
        problems.push(`XMPP_PGP_KEYS: key ${fingerprint} in ${file} has no user id xmpp:<jid>`);
        continue;
      }
      try {
        await key.getEncryptionKey();
      } catch (err) {
        problems.push(`XMPP_PGP_KEYS: key ${fingerprint} in ${file} cannot encrypt (${(err as Error).message})`);
        continue;
      }
      for (const jid of jids) contacts.set(jid, [...(contacts.get(jid) ?? []), key.toPublic()]);
    }
  }
  return contacts;
}

async function loadBotKey(settings: XmppSettings, log: Logger, problems: string[]): Promise<PrivateKey | undefined> {
  const armored = settings.pgpPrivateKey;
  if (armored === undefined) return undefined;
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armored });
  } catch (err) {
    problems.push(`XMPP_PGP_PRIVATE_KEY: not an armored OpenPGP secret key (${(err as Error).message})`);
    return undefined;
  }
  if (!key.isDecrypted()) {
    if (settings.pgpPassphrase === undefined) {
      problems.push("XMPP_PGP_PASSPHRASE: required, the secret key is protected by a passphrase");
      return undefined;
    }
    try {
      key = await decryptKey({ privateKey: key, passphrase: settings.pgpPassphrase });
    } catch {
      problems.push("XMPP_PGP_PASSPHRASE: does not unlock XMPP_PGP_PRIVATE_KEY");
      return undefined;
    }
  }
  try {
    await key.getSigningKey();
  } catch (err) {
    problems.push(`XMPP_PGP_PRIVATE_KEY: cannot sign (${(err as Error).message})`);
    return undefined;
  }
  const fingerprint = key.getFingerprint().toUpperCase();
  if (!xmppUserIds(key).includes(settings.jid)) {
    // Gajim's plugin rejects a key whose xmpp: user id is not the sender's JID; Profanity looks keys up by it.
    log.warn({ fingerprint, expected: `xmpp:${settings.jid}` }, "bot key has no user id for the bot's JID");
  }
  return key;
}

/**
 * Loads and checks every configured key.
 * @throws ConfigError listing every unreadable or unusable key.
 */
export async function loadPgpKeyring(settings: XmppSettings, log: Logger): Promise<PgpKeyring> {
  const problems: string[] = [];
  const botKey = await loadBotKey(settings, log, problems);
  const contacts = settings.pgpKeysPath ? await loadContacts(settings.pgpKeysPath, log, problems) : new Map();
  if (problems.length > 0) throw new ConfigError(problems);
  for (const jid of contacts.keys()) {
    if (!settings.allowedJids.includes(jid)) log.warn({ jid }, "contact key for a JID that is not allowed; unused");
  }
  for (const jid of settings.allowedJids) {
    log.info({ jid, openpgp: contacts.has(jid) }, contacts.has(jid) ? "contact uses OpenPGP" : "contact uses TLS only");
  }
  return { botKey, contacts };
}
