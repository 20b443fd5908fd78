import { createMessage, decrypt, encrypt, readMessage } from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import {
  NS_OX,
  OxError,
  oxDecrypt,
  oxEncrypt,
  oxMessageStanza,
  parseXml,
  signcryptElement,
} from "../../src/xmpp/ox.js";
import { makeKey, type TestKey } from "./support/keys.js";

let bot: TestKey;
let alice: TestKey;
let mallory: TestKey;
/** Now, to the second: keys made now cannot sign messages dated earlier. */
const NOW = Math.floor(Date.now() / 1000) * 1000;

beforeAll(async () => {
  [bot, alice, mallory] = await Promise.all([
    makeKey("xmpp:smarty@localhost"),
    makeKey("xmpp:alice@localhost"),
    makeKey("xmpp:mallory@localhost"),
  ]);
});

/** What a client (Profanity, Gajim) sends: a signcrypt signed by the sender, encrypted to the bot. */
async function clientMessage(signer: TestKey, to: string, text: string, time: Date): Promise<string> {
  const content = signcryptElement([to], text, time, "pad").toString();
  const binary = await encrypt({
    message: await createMessage({ binary: new TextEncoder().encode(content) }),
    encryptionKeys: bot.publicKey,
    signingKeys: signer.privateKey,
    format: "binary",
  });
  return Buffer.from(binary).toString("base64");
}

describe("oxEncrypt", () => {
  it("makes a signed binary OpenPGP message that the contact decrypts into a signcrypt element", async () => {
    const base64 = await oxEncrypt({
      to: "alice@localhost",
      text: "Import 3.21 kW",
      recipientKeys: [alice.publicKey],
      botKey: bot.privateKey,
      now: new Date(NOW),
    });
    expect(base64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const { data, signatures } = await decrypt({
      message: await readMessage({ binaryMessage: Buffer.from(base64, "base64") }),
      decryptionKeys: alice.privateKey,
      verificationKeys: bot.publicKey,
      expectSigned: true,
      format: "binary",
    });
    expect(signatures).toHaveLength(1);
    const el = parseXml(new TextDecoder().decode(data));
    expect(el.is("signcrypt", NS_OX)).toBe(true);
    expect(el.getChild("to")?.attrs.jid).toBe("alice@localhost");
    expect(el.getChild("time")?.attrs.stamp).toBe(new Date(NOW).toISOString().replace(".000Z", "Z"));
    expect(el.getChildText("rpad")?.length).toBeGreaterThan(0);
    expect(el.getChild("payload")?.getChild("body", "jabber:client")?.text()).toBe("Import 3.21 kW");
  });

  it("puts only the ciphertext and a fixed fallback in the stanza", () => {
    const stanza = oxMessageStanza("alice@localhost/phone", "id1", "QUJD").toString();
    expect(stanza).toContain('<openpgp xmlns="urn:xmpp:openpgp:0">QUJD</openpgp>');
    expect(stanza).toContain('<encryption xmlns="urn:xmpp:eme:0" namespace="urn:xmpp:openpgp:0"');
  });
});

describe("oxDecrypt", () => {
  const input = (base64: string) => ({
    base64,
    botJid: "smarty@localhost",
    botKey: bot.privateKey,
    senderKeys: [alice.publicKey],
    now: NOW,
  });
  const reason = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    return err instanceof OxError ? err.reason : err;
  };

  it("returns the body of a command signed by the contact's key", async () => {
    const base64 = await clientMessage(alice, "smarty@localhost", "now", new Date(NOW));
    expect(await oxDecrypt(input(base64))).toBe("now");
  });

  it("refuses a message signed by another key", async () => {
    const base64 = await clientMessage(mallory, "smarty@localhost", "mute 30d", new Date(NOW));
    expect(await reason(oxDecrypt(input(base64)))).toBe("bad_signature");
  });

  it("refuses a signcrypt addressed to someone else, or replayed hours later", async () => {
    const other = await clientMessage(alice, "someone@localhost", "now", new Date(NOW));
    expect(await reason(oxDecrypt(input(other)))).toBe("wrong_recipient");
    const old = await clientMessage(alice, "smarty@localhost", "now", new Date(NOW - 2 * 3_600_000));
    expect(await reason(oxDecrypt(input(old)))).toBe("stale");
  });

  it("refuses what is not OpenPGP", async () => {
    expect(await reason(oxDecrypt(input("bm90IG9wZW5wZ3A=")))).toBe("not_openpgp");
  });
});
