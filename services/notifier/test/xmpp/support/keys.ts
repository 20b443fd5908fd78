/** Throwaway OpenPGP keys for the bot's tests (curve25519, about 60 ms each). */
import { generateKey, type PrivateKey, type PublicKey, readKey, readPrivateKey } from "openpgp";

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
    ...(options.created ? { date: options.created } : {}),
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
