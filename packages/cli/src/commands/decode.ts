/**
 * `smarty decode`: one encrypted Smarty frame (Luxmetering P1 spec v1.1.3 §3.3) → the reading JSON
 * (docs/reading.md). The GCM tag is verified unless `--no-verify-tag`; then the DSMR CRC must hold.
 */
import { decodeFrame } from "@smarty/p1";
import { keyOption, optionalFile, p1Key, parseCommandArgs } from "../cli-args.js";
import { CliError, type CliIo, type Command, EXIT, say } from "../command.js";
import { p1Failure } from "../p1-failure.js";
import { hexInput, readInput } from "../read-input.js";

const OPTIONS = {
  key: { type: "string" },
  "aad-key": { type: "string" },
  "no-verify-tag": { type: "boolean" },
  hex: { type: "boolean" },
} as const;

const USAGE = `usage: smarty decode --key <32 hex> [--aad-key <32 hex>] [--no-verify-tag] [--hex] [FILE]

Decrypts one encrypted Smarty frame (DB 08 …) from FILE or standard input, checks its GCM tag and DSMR CRC,
and prints the reading as JSON.

  --key <32 hex>       the P1 key from your grid operator (or set SMARTY_KEY)
  --aad-key <32 hex>   authentication key of the AAD (default 00112233445566778899AABBCCDDEEFF)
  --no-verify-tag      do not check the GCM tag (for meters reported to fail it); the CRC must then hold
  --hex                the input is hex text instead of raw bytes
  -h, --help           this text

exit codes: 0 reading printed, 2 authentication failed (wrong key or altered frame), 3 CRC mismatch,
4 malformed frame, 64 bad usage, 66 FILE missing`;

/** Raw input may carry a trailing newline after the frame (files from editors, `echo`): drop it, nothing else. */
function oneFrame(bytes: Buffer): Buffer {
  if (bytes[0] === 0x2f) {
    throw new CliError(
      "malformed frame: this is a plaintext telegram, not an encrypted frame; use smarty parse",
      EXIT.format,
    );
  }
  if (bytes.length >= 13 && bytes[0] === 0xdb && bytes[10] === 0x82) {
    const length = 13 + bytes.readUInt16BE(11);
    if (bytes.length > length && /^\s*$/.test(bytes.toString("latin1", length))) return bytes.subarray(0, length);
  }
  return bytes;
}

export const decodeCommand: Command = {
  name: "decode",
  summary: "decrypt and parse one encrypted frame, print the reading JSON",
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    const file = optionalFile(positionals);
    const key = p1Key(values.key, io.env, "decode");
    const aad = values["aad-key"] === undefined ? undefined : keyOption(values["aad-key"], "--aad-key");
    const verifyTag = values["no-verify-tag"] !== true;
    const input = await readInput(file, io.stdin);
    const bytes = oneFrame(values.hex ? hexInput(input) : input);
    if (!verifyTag)
      say(io, "decode", "warning: the GCM tag is not verified (--no-verify-tag); only the CRC is checked");
    try {
      const { reading } = decodeFrame(
        { kind: "encrypted", bytes },
        { key, verifyTag, ...(aad ? { authenticationKey: aad } : {}) },
      );
      io.stdout.write(`${JSON.stringify(reading, null, 2)}\n`);
      return EXIT.ok;
    } catch (err) {
      throw p1Failure(err);
    }
  },
};
