/**
 * Announces the bot's OpenPGP public key in its PEP service (XEP-0373 §4.1-4.2), so that a contact's client can
 * fetch it to encrypt commands to the bot (Gajim's plugin only looks there; Profanity's `/ox request`). The bot
 * itself never takes contact keys from PEP: those come from XMPP_PGP_KEYS, so a server cannot substitute one.
 *
 *   node urn:xmpp:openpgp:0:public-keys:<FPR>   item <pubkey><data>base64 binary key</data></pubkey>
 *   node urn:xmpp:openpgp:0:public-keys         item <public-keys-list><pubkey-metadata v4-fingerprint date/>
 *
 * Both with the `open` access model (XEP-0060 publish-options), as XEP-0373 §4.1 recommends.
 */
import { xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import type { PrivateKey } from "openpgp";
import { NS_OX } from "./ox.js";

export const NS_OX_PUBLIC_KEYS = `${NS_OX}:public-keys`;
const NS_PUBSUB = "http://jabber.org/protocol/pubsub";

function publishOptions(): Element {
  return xml(
    "publish-options",
    {},
    xml(
      "x",
      { xmlns: "jabber:x:data", type: "submit" },
      xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, `${NS_PUBSUB}#publish-options`)),
      xml("field", { var: "pubsub#access_model" }, xml("value", {}, "open")),
    ),
  );
}

function publish(node: string, item: Element): Element {
  return xml(
    "iq",
    { type: "set" },
    xml("pubsub", { xmlns: NS_PUBSUB }, xml("publish", { node }, item), publishOptions()),
  );
}

/** The two IQs that publish the key and then the list naming it. */
export function publicKeyAnnouncement(key: PrivateKey): [Element, Element] {
  const fingerprint = key.getFingerprint().toUpperCase();
  const date = key
    .getCreationTime()
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
  const data = Buffer.from(key.toPublic().write()).toString("base64");
  return [
    publish(
      `${NS_OX_PUBLIC_KEYS}:${fingerprint}`,
      xml("item", { id: date }, xml("pubkey", { xmlns: NS_OX }, xml("data", {}, data))),
    ),
    publish(
      NS_OX_PUBLIC_KEYS,
      xml(
        "item",
        { id: "current" },
        xml("public-keys-list", { xmlns: NS_OX }, xml("pubkey-metadata", { "v4-fingerprint": fingerprint, date })),
      ),
    ),
  ];
}
