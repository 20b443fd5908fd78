/**
 * PGP/MIME (RFC 3156 §4) built with nodemailer's MimeNode, since nodemailer has no OpenPGP option:
 *
 *   multipart/encrypted; protocol="application/pgp-encrypted"
 *   ├─ application/pgp-encrypted          "Version: 1"
 *   └─ application/octet-stream           name="encrypted.asc": the armored OpenPGP message, which holds the
 *                                         whole inner MIME entity (text, HTML, chart, CSV)
 *
 * The inner entity keeps only its Content-* headers (RFC 3156 §4: the encrypted part is a MIME entity, not a
 * message). The outer headers carry nothing of the content: the subject is a neutral "Smarty report".
 */
import MimeNode from "nodemailer/lib/mime-node";
import { createMessage, encrypt, type PrivateKey, type PublicKey } from "openpgp";

export const NEUTRAL_SUBJECT = "Smarty report";

export interface MailAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
  /** Content-ID for images shown inside the HTML part (`cid:…`). */
  readonly cid?: string;
}

export interface MailContent {
  readonly subject: string;
  readonly text: string;
  readonly html?: string | undefined;
  readonly attachments: readonly MailAttachment[];
}

export interface Envelope {
  readonly from: string;
  readonly to: string;
  readonly date: Date;
}

/** The body tree: mixed[ related[ alternative[text, html], inline images ], attachments ]. */
function bodyTree(content: MailContent): MimeNode {
  const root = new MimeNode("multipart/mixed", { newline: "\r\n" });
  const inline = content.attachments.filter((a) => a.cid && content.html);
  const attached = content.attachments.filter((a) => !(a.cid && content.html));
  const related = inline.length > 0 ? root.createChild("multipart/related") : root;
  const alt = content.html ? related.createChild("multipart/alternative") : related;
  alt.createChild("text/plain; charset=utf-8").setContent(content.text);
  if (content.html) alt.createChild("text/html; charset=utf-8").setContent(content.html);
  for (const a of inline) {
    related
      .createChild(a.contentType, { filename: a.filename })
      .setHeader({ "Content-ID": `<${a.cid}>`, "Content-Disposition": "inline" })
      .setContent(a.content);
  }
  for (const a of attached) root.createChild(a.contentType, { filename: a.filename }).setContent(a.content);
  return root;
}

/** Removes every header of the top entity except Content-* (and their folded continuation lines). */
function keepContentHeaders(entity: Buffer): Buffer {
  const text = entity.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  const head = text.slice(0, end).split(/\r\n(?![ \t])/);
  const kept = head.filter((h) => /^content-/i.test(h));
  return Buffer.from(`${kept.join("\r\n")}${text.slice(end)}`, "latin1");
}

/** The inner MIME entity that gets encrypted. */
export async function buildInnerEntity(content: MailContent): Promise<Buffer> {
  return keepContentHeaders(await bodyTree(content).build());
}

/** Encrypts (and optionally signs) the entity to every key; armored OpenPGP message. */
export async function encryptEntity(
  entity: Buffer,
  keys: readonly PublicKey[],
  signingKey: PrivateKey | undefined,
  date: Date,
): Promise<string> {
  const message = await createMessage({ binary: new Uint8Array(entity), format: "binary" });
  return encrypt({
    message,
    encryptionKeys: [...keys],
    ...(signingKey ? { signingKeys: signingKey } : {}),
    format: "armored",
    date,
  });
}

function addressHeaders(node: MimeNode, env: Envelope, subject: string): void {
  node.setHeader({ From: env.from, To: env.to, Subject: subject, Date: env.date });
}

/** The RFC 3156 message around an armored OpenPGP message. */
export function buildEncryptedMessage(env: Envelope, armored: string): Promise<Buffer> {
  const root = new MimeNode('multipart/encrypted; protocol="application/pgp-encrypted"', { newline: "\r\n" });
  addressHeaders(root, env, NEUTRAL_SUBJECT);
  root
    .createChild("application/pgp-encrypted")
    .setHeader({ "Content-Description": "PGP/MIME version identification", "Content-Transfer-Encoding": "7bit" })
    .setContent("Version: 1\r\n");
  root
    .createChild('application/octet-stream; name="encrypted.asc"')
    .setHeader({
      "Content-Description": "OpenPGP encrypted message",
      "Content-Disposition": 'inline; filename="encrypted.asc"',
      "Content-Transfer-Encoding": "7bit",
    })
    .setContent(armored);
  return root.build();
}

/** A plain (unencrypted) message, only with EMAIL_ENCRYPTION=off. */
export function buildPlainMessage(env: Envelope, content: MailContent): Promise<Buffer> {
  const root = bodyTree(content);
  addressHeaders(root, env, content.subject);
  return root.build();
}
