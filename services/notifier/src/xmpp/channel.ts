/**
 * The `xmpp` delivery channel for the notifier's outbox: one outbox message = one chat message to a bare JID.
 * While the session is down it reports `available = false` and throws TemporaryDeliveryError, so the outbox keeps
 * the message and retries; it resolves only once the server acknowledged the stanza (connection.ts `sendAcked`).
 * Recipients with an OpenPGP key get XEP-0374 only; if that fails (expired key) the message is refused, never
 * sent in clear. The stanza id is the outbox id, repeated on a retry, with an XEP-0359 origin-id so clients can
 * recognise the rare duplicate of a message whose acknowledgement was lost.
 */

import type { Language } from "@smarty/i18n";
import type { Logger } from "@smarty/service-kit";
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { type DeliveryChannel, type OutboxMessage, type OutboxPayload, TemporaryDeliveryError } from "../ports.js";
import { type AnswerContext, formatAlertNotice } from "./answers.js";
import { bareJid, type XmppSettings } from "./config.js";
import type { XmppConnection } from "./connection.js";
import { oxEncrypt, oxMessageStanza } from "./ox.js";
import type { PgpKeyring } from "./pgp-keys.js";

const NS_SID = "urn:xmpp:sid:0";

/** A message this channel will never deliver (wrong channel, recipient not allowed, unusable key). */
export class XmppDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "XmppDeliveryError";
  }
}

/** The chat text of an outbox payload. */
export function payloadText(payload: OutboxPayload, ctx: AnswerContext): string {
  switch (payload.kind) {
    case "alert":
      return formatAlertNotice(payload.alert, ctx);
    case "chat":
      return payload.text;
    case "report":
      return `${payload.subject}\n${payload.text}`;
  }
}

export interface XmppChannelOptions {
  readonly settings: XmppSettings;
  readonly connection: XmppConnection;
  readonly keyring: PgpKeyring;
  readonly log: Logger;
  readonly now: () => number;
  readonly timeZone?: string;
  readonly language?: Language;
}

export class XmppChannel implements DeliveryChannel {
  readonly channel = "xmpp" as const;

  constructor(private readonly o: XmppChannelOptions) {}

  get available(): boolean {
    return this.o.connection.online;
  }

  async deliver(message: OutboxMessage): Promise<void> {
    if (message.channel !== "xmpp") throw new XmppDeliveryError(`not an xmpp message: ${message.channel}`);
    const to = bareJid(message.to);
    if (!this.o.settings.allowedJids.includes(to)) {
      throw new XmppDeliveryError(`recipient ${to} is not in XMPP_ALLOWED_JIDS`);
    }
    if (!this.o.connection.online) throw new TemporaryDeliveryError("xmpp session is offline");
    const now = this.o.now();
    const text = payloadText(message.payload, {
      now,
      ...(this.o.timeZone ? { timeZone: this.o.timeZone } : {}),
      ...(this.o.language ? { language: this.o.language } : {}),
    });
    const stanza = await this.stanza(to, message.id, text, now);
    try {
      await this.o.connection.sendAcked(stanza);
    } catch (err) {
      throw new TemporaryDeliveryError("xmpp message not acknowledged by the server", { cause: err });
    }
    this.o.log.debug({ id: message.id, to, encrypted: this.o.keyring.contacts.has(to) }, "xmpp message delivered");
  }

  private async stanza(to: string, id: string, text: string, now: number): Promise<Element> {
    const keys = this.o.keyring.contacts.get(to);
    let stanza: Element;
    if (keys) {
      const botKey = this.o.keyring.botKey;
      if (!botKey) throw new XmppDeliveryError(`no bot key to sign for ${to} (XMPP_PGP_PRIVATE_KEY)`);
      let base64: string;
      try {
        base64 = await oxEncrypt({ to, text, recipientKeys: keys, botKey, now: new Date(now) });
      } catch (err) {
        this.o.log.error({ err, to }, "openpgp encryption failed; message not sent");
        throw new XmppDeliveryError(`cannot encrypt to ${to}: ${(err as Error).message}`, { cause: err });
      }
      stanza = oxMessageStanza(to, id, base64);
    } else {
      stanza = xml("message", { type: "chat", to, id }, xml("body", {}, text));
    }
    stanza.append(xml("origin-id", { xmlns: NS_SID, id }));
    return stanza;
  }
}
