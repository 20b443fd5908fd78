/**
 * The email DeliveryChannel: one outbox message is one mail to one recipient. With EMAIL_ENCRYPTION=pgp (the
 * default) the mail is PGP/MIME encrypted to that recipient's key, read from EMAIL_PGP_KEYS at each delivery so a
 * renewed key is picked up without restart; without a usable key nothing is sent (RecipientKeyError, permanent).
 */
import type { Logger } from "@smarty/service-kit";
import type { Transporter } from "nodemailer";
import type { PrivateKey, PublicKey } from "openpgp";
import type { DeliveryChannel, OutboxMessage, OutboxPayload } from "../ports.js";
import { keyForRecipient, loadPublicKeys, RecipientKeyError } from "./pgp-keys.js";
import {
  buildEncryptedMessage,
  buildInnerEntity,
  buildPlainMessage,
  encryptEntity,
  type MailAttachment,
  type MailContent,
} from "./pgp-mime.js";
import { classifySmtpError } from "./smtp-transport.js";

export type EmailEncryption = "pgp" | "off";

const SEVERITY_WORD = { info: "Info", warning: "Warning", critical: "Critical" } as const;

/** What a mail says: reports carry text, HTML and attachments (chart, CSV); alerts and chat become short text. */
export function mailContent(payload: OutboxPayload): MailContent {
  switch (payload.kind) {
    case "report":
      return {
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        attachments: (payload.attachments ?? []).map(
          (a): MailAttachment => ({
            filename: a.filename,
            contentType: a.content_type,
            content: Buffer.from(a.base64, "base64"),
            // Images are shown inside the HTML report; the HTML refers to them by file name.
            ...(a.content_type.startsWith("image/") ? { cid: a.filename } : {}),
          }),
        ),
      };
    case "alert": {
      const a = payload.alert;
      const state = a.state === "active" ? SEVERITY_WORD[a.severity] : "Back to normal";
      return { subject: `Smarty ${state.toLowerCase()}: ${a.rule}`, text: payload.text, attachments: [] };
    }
    case "chat":
      return { subject: "Smarty", text: payload.text, attachments: [] };
  }
}

export interface EmailChannelOptions {
  readonly transport: Pick<Transporter, "sendMail" | "close">;
  readonly from: string;
  readonly encryption: EmailEncryption;
  /** EMAIL_PGP_KEYS: armored key file or folder; required with encryption "pgp". */
  readonly keysPath?: string | undefined;
  readonly signingKey?: PrivateKey | undefined;
  readonly log: Logger;
  /** Date used for key validity and the Date header; real time by default (keys expire in real time). */
  readonly now?: () => Date;
}

export class EmailChannel implements DeliveryChannel {
  readonly channel = "email" as const;
  readonly available = true;
  private readonly now: () => Date;

  constructor(private readonly o: EmailChannelOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async deliver(message: OutboxMessage): Promise<void> {
    const raw = await this.compose(message);
    try {
      await this.o.transport.sendMail({ envelope: { from: this.o.from, to: [message.to] }, raw });
    } catch (err) {
      throw classifySmtpError(err);
    }
  }

  /** The raw message for one recipient; throws RecipientKeyError when it cannot be encrypted. */
  async compose(message: OutboxMessage): Promise<Buffer> {
    const content = mailContent(message.payload);
    const env = { from: this.o.from, to: message.to, date: this.now() };
    if (this.o.encryption === "off") return buildPlainMessage(env, content);
    if (!this.o.keysPath) throw new RecipientKeyError(message.to, "missing");
    let keys: PublicKey[];
    try {
      keys = await loadPublicKeys(this.o.keysPath);
    } catch (err) {
      // An unreadable key folder must not turn into plain mail or a silent loss: refuse, and alert.
      throw new RecipientKeyError(message.to, "unusable", { cause: err });
    }
    const key = await keyForRecipient(keys, message.to, env.date);
    const armored = await encryptEntity(await buildInnerEntity(content), [key], this.o.signingKey, env.date);
    return buildEncryptedMessage(env, armored);
  }

  /** Problems with the recipients' keys now (logged and alerted at start, before any mail is due). */
  async checkRecipients(recipients: readonly string[]): Promise<RecipientKeyError[]> {
    if (this.o.encryption === "off") return [];
    const problems: RecipientKeyError[] = [];
    let keys: PublicKey[] = [];
    try {
      keys = this.o.keysPath ? await loadPublicKeys(this.o.keysPath) : [];
    } catch (err) {
      return recipients.map((r) => new RecipientKeyError(r, "unusable", { cause: err }));
    }
    for (const r of recipients) {
      try {
        await keyForRecipient(keys, r, this.now());
      } catch (err) {
        if (err instanceof RecipientKeyError) problems.push(err);
        else throw err;
      }
    }
    return problems;
  }

  close(): void {
    this.o.transport.close();
  }
}
