import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, silentLogger } from "@smarty/service-kit";
import { tempDir } from "@smarty/testkit";
import { readKey } from "openpgp";
import { afterEach, describe, expect, it } from "vitest";
import type { XmppSettings } from "../../src/xmpp/config.js";
import { loadPgpKeyring, xmppUserIds } from "../../src/xmpp/pgp-keys.js";
import { makeKey } from "./support/keys.js";

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function folder(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir("xmpp-keys");
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir.path, name), content);
  return dir.path;
}

function settings(s: Partial<XmppSettings>): XmppSettings {
  return {
    service: "xmpp://localhost",
    domain: "localhost",
    username: "smarty",
    password: "x",
    resource: "smarty",
    jid: "smarty@localhost",
    allowedJids: ["alice@localhost", "bob@localhost"],
    pgpKeysPath: undefined,
    pgpPrivateKey: undefined,
    pgpPassphrase: undefined,
    caFile: undefined,
    alertMinSeverity: "warning",
    alertCleared: true,
    reconnectMaxMs: 300_000,
    presenceIntervalMs: 120_000,
    presenceStatus: "off",
    allowPlaintextFromKeyed: false,
    ...s,
  };
}

async function problems(p: Promise<unknown>): Promise<readonly string[]> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ConfigError)) throw new Error(`expected ConfigError, got ${String(err)}`);
  return err.problems;
}

describe("xmppUserIds", () => {
  it("finds xmpp: user ids alone or as the address of a named user id", async () => {
    const plain = await makeKey("xmpp:Alice@Localhost");
    expect(xmppUserIds(plain.publicKey)).toEqual(["alice@localhost"]);
    const named = await makeKey("Alice <xmpp:alice@localhost>");
    expect(xmppUserIds(named.publicKey)).toEqual(["alice@localhost"]);
    const email = await makeKey("Alice <alice@example.org>");
    expect(xmppUserIds(email.publicKey)).toEqual([]);
  });
});

describe("loadPgpKeyring", () => {
  it("reads armored and binary key files from a folder and matches them by user id", async () => {
    const [alice, bob, bot] = await Promise.all([
      makeKey("xmpp:alice@localhost"),
      makeKey("xmpp:bob@localhost"),
      makeKey("xmpp:smarty@localhost"),
    ]);
    const binaryBob = (await readKey({ armoredKey: bob.armoredPublic })).write();
    const path = folder({ "alice.asc": alice.armoredPublic, "bob.gpg": binaryBob, "README.txt": "not a key" });
    const keyring = await loadPgpKeyring(
      settings({ pgpKeysPath: path, pgpPrivateKey: bot.armoredPrivate }),
      silentLogger(),
    );
    expect([...keyring.contacts.keys()].sort()).toEqual(["alice@localhost", "bob@localhost"]);
    expect(keyring.contacts.get("bob@localhost")?.[0]?.getFingerprint()).toBe(bob.publicKey.getFingerprint());
    expect(keyring.botKey?.getFingerprint()).toBe(bot.privateKey.getFingerprint());
  });

  it("refuses a key without an xmpp: user id and an expired key, naming the file", async () => {
    const noUid = await makeKey("Alice <alice@example.org>");
    const expired = await makeKey("xmpp:bob@localhost", {
      created: new Date(Date.now() - 10 * 86_400_000),
      expiresInS: 86_400,
    });
    const path = folder({ "a.asc": noUid.armoredPublic, "b.asc": expired.armoredPublic });
    const found = await problems(loadPgpKeyring(settings({ pgpKeysPath: path }), silentLogger()));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^XMPP_PGP_KEYS: key [0-9A-F]{40} in .*a\.asc has no user id xmpp:<jid>$/);
    expect(found[1]).toMatch(/^XMPP_PGP_KEYS: key [0-9A-F]{40} in .*b\.asc cannot encrypt/);
  });

  it("unlocks the bot key with its passphrase and says when it is missing or wrong", async () => {
    const bot = await makeKey("xmpp:smarty@localhost", { passphrase: "correct horse" });
    const base = { pgpPrivateKey: bot.armoredPrivate };
    expect(await problems(loadPgpKeyring(settings(base), silentLogger()))).toEqual([
      "XMPP_PGP_PASSPHRASE: required, the secret key is protected by a passphrase",
    ]);
    expect(await problems(loadPgpKeyring(settings({ ...base, pgpPassphrase: "wrong" }), silentLogger()))).toEqual([
      "XMPP_PGP_PASSPHRASE: does not unlock XMPP_PGP_PRIVATE_KEY",
    ]);
    const keyring = await loadPgpKeyring(settings({ ...base, pgpPassphrase: "correct horse" }), silentLogger());
    expect(keyring.botKey?.isDecrypted()).toBe(true);
  });

  it("names a missing folder", async () => {
    expect(await problems(loadPgpKeyring(settings({ pgpKeysPath: "/nonexistent/keys" }), silentLogger()))).toEqual([
      "XMPP_PGP_KEYS: cannot read /nonexistent/keys (ENOENT)",
    ]);
  });
});
