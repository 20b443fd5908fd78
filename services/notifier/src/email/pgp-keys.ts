/**
 * Recipients' OpenPGP public keys from `EMAIL_PGP_KEYS`: one armored file, or a folder of them (several keys per
 * file are fine). A recipient's key is the one whose user ID carries their address (case-insensitive); it must
 * have a valid, unexpired, unrevoked encryption subkey now, or the mail is not sent (fail closed).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { decryptKey, type PrivateKey, type PublicKey, readKeys, readPrivateKey } from "openpgp";

/** The mail for `recipient` cannot be encrypted: permanent, never retried, raised as an alert. */
export class RecipientKeyError extends Error {
  constructor(
    readonly recipient: string,
    readonly reason: "missing" | "expired" | "revoked" | "unusable",
    options?: { cause?: unknown },
  ) {
    super(`no usable OpenPGP key for ${recipient}: ${reason}`, options);
    this.name = "RecipientKeyError";
  }
}

export class KeyFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "KeyFileError";
  }
}

function keyFiles(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => !f.startsWith("."))
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** Reads every public key under `path` (file or folder). Private keys are reduced to their public part. */
export async function loadPublicKeys(path: string): Promise<PublicKey[]> {
  const keys: PublicKey[] = [];
  let files: string[];
  try {
    files = keyFiles(path);
  } catch (err) {
    throw new KeyFileError(`cannot read EMAIL_PGP_KEYS ${path}`, { cause: err });
  }
  for (const file of files) {
    const data = readFileSync(file);
    const text = data.toString("utf8");
    try {
      const found = text.includes("-----BEGIN PGP")
        ? await readKeys({ armoredKeys: text })
        : await readKeys({ binaryKeys: new Uint8Array(data) });
      keys.push(...found.map((k) => k.toPublic()));
    } catch (err) {
      throw new KeyFileError(`not an OpenPGP key file: ${file}`, { cause: err });
    }
  }
  return keys;
}

function addressesOf(key: PublicKey): string[] {
  return key.users.map((u) => u.userID?.email?.toLowerCase() ?? "").filter(Boolean);
}

/** The usable key of `recipient` at `date`; throws RecipientKeyError saying why there is none. */
export async function keyForRecipient(keys: readonly PublicKey[], recipient: string, date: Date): Promise<PublicKey> {
  const address = recipient.toLowerCase();
  const candidates = keys.filter((k) => addressesOf(k).includes(address));
  if (candidates.length === 0) throw new RecipientKeyError(recipient, "missing");
  let reason: RecipientKeyError["reason"] = "unusable";
  let cause: unknown;
  for (const key of candidates) {
    try {
      await key.getEncryptionKey(undefined, date);
      return key;
    } catch (err) {
      cause = err;
      if (await key.isRevoked(undefined, undefined, date)) reason = "revoked";
      else {
        const exp = await key.getExpirationTime();
        if (exp instanceof Date && exp.getTime() <= date.getTime()) reason = "expired";
      }
    }
  }
  throw new RecipientKeyError(recipient, reason, { cause });
}

/** The notifier's own signing key (armored private key file, optionally protected by a passphrase). */
export async function loadSigningKey(path: string, passphrase?: string): Promise<PrivateKey> {
  const key = await readPrivateKey({ armoredKey: readFileSync(path, "utf8") });
  if (key.isDecrypted()) return key;
  if (!passphrase) throw new KeyFileError(`signing key ${path} is protected: set NOTIFIER_PGP_SIGNING_PASSPHRASE`);
  return decryptKey({ privateKey: key, passphrase });
}
