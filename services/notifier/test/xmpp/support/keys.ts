/**
 * Throwaway OpenPGP keys for the bot's tests (curve25519, about 60 ms each). They are dated 1 January 2026 unless
 * told otherwise, so the bot can sign with the fixed test clock (April 2026) and anyone can verify later.
 */
import { generateKey, type PrivateKey, type PublicKey, readKey, readPrivateKey } from "openpgp";

export const KEYS_CREATED = new Date("2026-01-01T00:00:00Z");

export interface TestKey {
  readonly armoredPrivate: string;
  readonly armoredPublic: string;
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

/**
 * A key pair whose user id is `uid` (e.g. `xmpp:alice@localhost`).
 * @param options.passphrase protects the secret key; options.created/expiresInS make an expired key
 */
export async function makeKey(
  uid: string,
  options: { passphrase?: string; created?: Date; expiresInS?: number } = {},
): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKey({
    type: "ecc",
    curve: "curve25519Legacy",
    userIDs: [{ name: uid }],
    format: "armored",
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    date: options.created ?? KEYS_CREATED,
    ...(options.expiresInS ? { keyExpirationTime: options.expiresInS } : {}),
  });
  const priv = await readPrivateKey({ armoredKey: privateKey });
  return {
    armoredPrivate: privateKey,
    armoredPublic: publicKey,
    privateKey: priv,
    publicKey: (await readKey({ armoredKey: publicKey })) as PublicKey,
  };
}
