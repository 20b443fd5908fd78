/**
 * Reading an OpenPGP-for-XMPP stanza the way a contact's client does: with openpgp.js, and with GnuPG itself
 * (what Profanity and Gajim's plugin use), in a throwaway keyring whose agent is stopped afterwards.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { findBinary, tempDir } from "@smarty/testkit";
import type { Element } from "@xmpp/xml";
import { decrypt, readMessage } from "openpgp";
import { NS_OX, parseXml } from "../../../src/xmpp/ox.js";
import type { TestKey } from "./keys.js";

/** The base64 text of the stanza's `<openpgp xmlns="urn:xmpp:openpgp:0">`. */
export function oxPayload(stanza: Element): string {
  const el = stanza.getChild("openpgp", NS_OX);
  if (!el) throw new Error(`no <openpgp> in ${stanza.toString()}`);
  return el.text();
}

/** Decrypts with the recipient's key, requires the sender's signature, returns the signcrypt's parts. */
export async function readOx(base64: string, recipient: TestKey, sender: TestKey) {
  const { data, signatures } = await decrypt({
    message: await readMessage({ binaryMessage: Buffer.from(base64, "base64") }),
    decryptionKeys: recipient.privateKey,
    verificationKeys: sender.publicKey,
    expectSigned: true,
    format: "binary",
  });
  const signcrypt = parseXml(new TextDecoder().decode(data));
  return {
    signcrypt,
    to: signcrypt.getChildren("to").map((t) => String(t.attrs.jid)),
    body: signcrypt.getChild("payload")?.getChild("body", "jabber:client")?.text(),
    signatures: signatures.length,
  };
}

/** `gpg --decrypt` of the binary message in a fresh keyring holding the recipient's secret and sender's public key. */
export function gpgDecrypt(base64: string, recipient: TestKey, sender: TestKey): { plaintext: string; status: string } {
  const gpg = findBinary("gpg");
  const home = tempDir("xmpp-gpg");
  const args = ["--homedir", home.path, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""];
  try {
    writeFileSync(join(home.path, "recipient.asc"), recipient.armoredPrivate);
    writeFileSync(join(home.path, "sender.asc"), sender.armoredPublic);
    writeFileSync(join(home.path, "message.gpg"), Buffer.from(base64, "base64"));
    execFileSync(gpg, [...args, "--import", join(home.path, "recipient.asc"), join(home.path, "sender.asc")], {
      stdio: "pipe",
    });
    const out = spawnSync(gpg, [...args, "--status-fd", "2", "--decrypt", join(home.path, "message.gpg")], {
      encoding: "utf8",
    });
    if (out.status !== 0) throw new Error(`gpg --decrypt failed (${out.status}):\n${out.stderr}`);
    return { plaintext: out.stdout, status: out.stderr };
  } finally {
    spawnSync(findBinary("gpgconf"), ["--homedir", home.path, "--kill", "gpg-agent"]);
    home.remove();
  }
}
