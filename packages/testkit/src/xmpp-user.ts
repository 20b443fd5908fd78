/**
 * A household member's XMPP client for integration tests: logs in to the test Prosody over direct TLS trusting
 * its self-signed certificate explicitly (the test process cannot use NODE_EXTRA_CA_CERTS, which Node reads only
 * at start), keeps every message and presence it receives, and reconnects on its own (the library's 1 s retry).
 */

import { readFileSync } from "node:fs";
import { type Client, client, xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { waitFor } from "./process.js";
import type { Prosody } from "./prosody.js";

export interface XmppUser {
  readonly jid: string;
  readonly client: Client;
  readonly messages: Element[];
  readonly presences: Element[];
  send(to: string, body: string): Promise<void>;
  sendStanza(stanza: Element): Promise<void>;
  /** Waits for the `n`-th (0-based) message from `from`'s bare JID. */
  message(from: string, n: number, timeoutMs?: number): Promise<Element>;
  /** Sends `body` to `to` and resolves with the next message from `to`. */
  ask(to: string, body: string, timeoutMs?: number): Promise<Element>;
  messagesFrom(from: string): Element[];
  stop(): Promise<void>;
}

type DirectTlsTransport = new (
  ...args: never[]
) => { socketParameters(service: string): Record<string, unknown> | undefined };

/**
 * The client's direct TLS transport (XEP-0368), with the test CA as its only trust and the XMPP domain as the
 * name checked. Written here, not taken from the notifier, so the bot's own TLS code is tested, never shared.
 * @xmpp/client calls `socketParameters` on the prototype, so the override is a method.
 */
function trustOnly(c: Client, servername: string, ca: string): void {
  const transports = c.transports as unknown as DirectTlsTransport[];
  const index = transports.findIndex((T) => {
    try {
      return T.prototype.socketParameters("xmpps://probe:5223") !== undefined;
    } catch {
      return false;
    }
  });
  const Base = transports[index];
  if (!Base) throw new Error("@xmpp/client has no direct TLS transport");
  transports[index] = class extends Base {
    override socketParameters(service: string) {
      const params = super.socketParameters(service);
      return params && { ...params, servername, ca: [ca] };
    }
  };
}

const bare = (jid: unknown) =>
  String(jid ?? "")
    .split("/")[0]
    ?.toLowerCase() ?? "";

export async function connectUser(prosody: Prosody, username: string, password: string): Promise<XmppUser> {
  if (!prosody.directTlsService || !prosody.caFile) throw new Error("the user needs a Prosody with TLS");
  const c = client({
    service: prosody.directTlsService,
    domain: prosody.domain,
    username,
    password,
    resource: "phone",
  });
  trustOnly(c, prosody.domain, readFileSync(prosody.caFile, "utf8"));
  const messages: Element[] = [];
  const presences: Element[] = [];
  c.on("error", () => undefined);
  c.on("online", () => {
    // Roster first, so the server delivers subscription answers to this session (RFC 6121 §2.1.6).
    c.iqCaller
      .get(xml("query", { xmlns: "jabber:iq:roster" }))
      .then(() => c.send(xml("presence")))
      .catch(() => undefined);
  });
  c.on("stanza", (s: Element) => {
    if (s.is("message")) messages.push(s);
    else if (s.is("presence")) presences.push(s);
  });
  await c.start();
  const messagesFrom = (from: string) => messages.filter((m) => bare(m.attrs.from) === bare(from));
  const user: XmppUser = {
    jid: `${username}@${prosody.domain}`,
    client: c,
    messages,
    presences,
    messagesFrom,
    send: (to, body) => c.send(xml("message", { type: "chat", to }, xml("body", {}, body))),
    sendStanza: (stanza) => c.send(stanza),
    message: (from, n, timeoutMs = 10_000) =>
      waitFor(() => messagesFrom(from)[n], timeoutMs, `message ${n} from ${from} to ${username}`),
    async ask(to, body, timeoutMs = 10_000) {
      const n = messagesFrom(to).length;
      await user.send(to, body);
      return user.message(to, n, timeoutMs);
    },
    async stop() {
      c.reconnect.stop();
      await c.stop().catch(() => undefined);
    },
  };
  return user;
}
