/**
 * OpenPGP for XMPP Instant Messaging (XEP-0374) over XEP-0373's content elements.
 *
 * Outgoing: `<signcrypt xmlns="urn:xmpp:openpgp:0">` with `<to jid>`, `<time stamp>`, random `<rpad>` and
 * `<payload><body xmlns="jabber:client">`, serialised, signed with the bot's key and encrypted to the contact's
 * keys and the bot's own (XEP-0373 §3.1), as a *binary* OpenPGP message, base64 in `<openpgp>` (§3.2). That is
 * what Profanity (gpgme, armor off, base64) and Gajim's plugin (python-gnupg, armor=False) produce and read.
 * The stanza carries only a fixed fallback body and XEP-0380 / XEP-0334 hints, never the text.
 *
 * Incoming: decrypted with the bot's key; the signature must verify against the sender's configured key, the
 * `<to>` must name the bot, and the `<time>` must be recent (limits replays by a server that kept the stanza).
 */
import { randomBytes } from "node:crypto";
import { xml } from "@xmpp/client";
import type { Element, Parser } from "@xmpp/xml";
import { createMessage, decrypt, encrypt, type PrivateKey, type PublicKey, readMessage } from "openpgp";

export const NS_OX = "urn:xmpp:openpgp:0";
const NS_EME = "urn:xmpp:eme:0";
const NS_HINTS = "urn:xmpp:hints";
export const OX_FALLBACK_BODY =
  "This message is encrypted with OpenPGP for XMPP (XEP-0374); this client cannot display it.";
/** Largest base64 payload accepted from a contact (a command is a few hundred bytes). */
const MAX_INCOMING_BASE64 = 64 * 1024;
/** Incoming encrypted commands older than this (or this far in the future) are refused. */
export const OX_MAX_SKEW_MS = 60 * 60_000;

export class OxError extends Error {
  constructor(
    readonly reason:
      | "too_large"
      | "not_openpgp"
      | "not_decryptable"
      | "bad_signature"
      | "malformed"
      | "wrong_recipient"
      | "stale",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "OxError";
  }
}

/** The `<signcrypt>` content element (XEP-0373 §3.1) around one chat body. */
export function signcryptElement(to: readonly string[], text: string, time: Date, rpad: string): Element {
  return xml(
    "signcrypt",
    { xmlns: NS_OX },
    ...to.map((jid) => xml("to", { jid })),
    xml("time", { stamp: time.toISOString().replace(/\.\d{3}Z$/, "Z") }),
    xml("rpad", {}, rpad),
    xml("payload", {}, xml("body", { xmlns: "jabber:client" }, text)),
  );
}

/** Random-length random padding so the ciphertext length does not give the answer away. */
export function randomPadding(): string {
  return randomBytes(1 + ((randomBytes(1)[0] ?? 0) % 48)).toString("base64url");
}

export interface OxEncryptInput {
  readonly to: string;
  readonly text: string;
  readonly recipientKeys: readonly PublicKey[];
  readonly botKey: PrivateKey;
  readonly now: Date;
}

/** Signs and encrypts one body; returns the base64 of the binary OpenPGP message. */
export async function oxEncrypt(input: OxEncryptInput): Promise<string> {
  const content = signcryptElement([input.to], input.text, input.now, randomPadding()).toString();
  const message = await createMessage({ binary: new TextEncoder().encode(content) });
  const binary = await encrypt({
    message,
    encryptionKeys: [...input.recipientKeys, input.botKey.toPublic()],
    signingKeys: input.botKey,
    format: "binary",
    date: input.now,
  });
  return Buffer.from(binary).toString("base64");
}

/** The `<message>` stanza carrying an encrypted body. */
export function oxMessageStanza(to: string, id: string, base64: string): Element {
  return xml(
    "message",
    { type: "chat", to, id },
    xml("openpgp", { xmlns: NS_OX }, base64),
    xml("encryption", { xmlns: NS_EME, namespace: NS_OX, name: "OpenPGP for XMPP" }),
    xml("body", {}, OX_FALLBACK_BODY),
    xml("store", { xmlns: NS_HINTS }),
  );
}

/** @xmpp/client's `xml` carries @xmpp/xml's streaming Parser (Object.assign in @xmpp/xml/index.js). */
const XmlParser = (xml as unknown as { Parser: typeof Parser }).Parser;

/** Parses one XML document (the decrypted content element). */
export function parseXml(text: string): Element {
  const parser = new XmlParser();
  let root: Element | undefined;
  let failure: unknown;
  parser.on("start", (el: Element) => {
    root = el;
  });
  parser.on("element", (el: Element) => root?.append(el));
  parser.on("error", (err: unknown) => {
    failure = err;
  });
  parser.write(text);
  parser.end("");
  if (failure !== undefined || root === undefined)
    throw new OxError("malformed", "content is not XML", { cause: failure });
  return root;
}

export interface OxDecryptInput {
  readonly base64: string;
  readonly botJid: string;
  readonly botKey: PrivateKey;
  readonly senderKeys: readonly PublicKey[];
  readonly now: number;
}

/** Decrypts and checks an incoming `<openpgp>` payload; returns the chat body. @throws OxError */
export async function oxDecrypt(input: OxDecryptInput): Promise<string> {
  if (input.base64.length > MAX_INCOMING_BASE64) throw new OxError("too_large", "encrypted payload too large");
  let plain: Uint8Array;
  try {
    const message = await readMessage({ binaryMessage: Buffer.from(input.base64.replace(/\s+/g, ""), "base64") });
    try {
      const result = await decrypt({
        message,
        decryptionKeys: input.botKey,
        verificationKeys: [...input.senderKeys],
        expectSigned: true,
        format: "binary",
      });
      plain = result.data;
    } catch (err) {
      const signature = /sign/i.test((err as Error).message);
      throw new OxError(signature ? "bad_signature" : "not_decryptable", (err as Error).message, { cause: err });
    }
  } catch (err) {
    if (err instanceof OxError) throw err;
    throw new OxError("not_openpgp", "payload is not an OpenPGP message", { cause: err });
  }
  const el = parseXml(new TextDecoder().decode(plain));
  if (!el.is("signcrypt", NS_OX)) throw new OxError("malformed", "content is not <signcrypt>");
  const recipients = el.getChildren("to").map((t) => String(t.attrs.jid ?? "").toLowerCase());
  if (!recipients.includes(input.botJid)) throw new OxError("wrong_recipient", "signcrypt <to> does not name the bot");
  const stamp = Date.parse(String(el.getChild("time")?.attrs.stamp ?? ""));
  if (Number.isNaN(stamp) || Math.abs(input.now - stamp) > OX_MAX_SKEW_MS) {
    throw new OxError("stale", "signcrypt <time> missing or too far from now");
  }
  const body = el.getChild("payload")?.getChild("body");
  if (!body) throw new OxError("malformed", "signcrypt without <payload><body>");
  return body.text();
}
