/**
 * GnuPG (Debian `gpg`) with a throwaway home directory: generate or import keys, export public keys armored and
 * decrypt messages, exactly as a mail user's GnuPG would. Keys are made without passphrase (loopback pinentry);
 * `stop()` ends the gpg-agent this home directory started and removes it.
 */
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { findBinary, tempDir } from "./process.js";

export interface GpgResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

export interface Gpg {
  readonly home: string;
  /** Runs gpg with the throwaway home and batch flags; never throws on a non-zero exit. */
  run(args: readonly string[], input?: string | Buffer): Promise<GpgResult>;
  /** Generates an ed25519/cv25519 key for `uid` (e.g. `Alice <alice@example.org>`), optionally expiring. */
  generateKey(uid: string, expire?: string): Promise<void>;
  /** Imports armored or binary keys (public or secret). */
  importKey(key: string | Buffer): Promise<void>;
  /** The armored public key(s) matching `who`. */
  exportPublic(who: string): Promise<string>;
  /** Decrypts a message; throws with gpg's stderr when it cannot. */
  decrypt(message: string | Buffer): Promise<{ plaintext: Buffer; status: string }>;
  stop(): Promise<void>;
}

export function startGpg(): Gpg {
  const bin = findBinary("gpg");
  const dir = tempDir("gpg");
  const home = join(dir.path, "h"); // short path: the agent socket lives here (sun_path is 108 bytes)
  mkdirSync(home, { mode: 0o700 });
  const base = ["--homedir", home, "--batch", "--no-tty", "--pinentry-mode", "loopback", "--passphrase", ""];

  const run = (args: readonly string[], input?: string | Buffer): Promise<GpgResult> =>
    new Promise((resolve, reject) => {
      const child = execFile(
        bin,
        [...base, ...args],
        { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => {
          const code = err && typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 0;
          if (err && code === 0) return reject(err);
          resolve({ stdout, stderr: stderr.toString(), code });
        },
      );
      child.stdin?.end(input ?? "");
    });

  const must = async (args: readonly string[], input?: string | Buffer): Promise<GpgResult> => {
    const r = await run(args, input);
    if (r.code !== 0) throw new Error(`gpg ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r;
  };

  return {
    home,
    run,
    async generateKey(uid, expire = "never") {
      await must(["--quick-generate-key", uid, "future-default", "default", expire]);
    },
    async importKey(key) {
      await must(["--import"], key);
    },
    async exportPublic(who) {
      return (await must(["--armor", "--export", who])).stdout.toString();
    },
    async decrypt(message) {
      const r = await must(["--status-fd", "2", "--decrypt"], message);
      return { plaintext: r.stdout, status: r.stderr };
    },
    async stop() {
      await new Promise<void>((resolve) =>
        execFile(findBinary("gpgconf"), ["--homedir", home, "--kill", "gpg-agent"], () => resolve()),
      );
      dir.remove();
    },
  };
}
