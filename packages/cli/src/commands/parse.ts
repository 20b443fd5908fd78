/**
 * `smarty parse`: one plaintext DSMR/Lux telegram (DSMR 5.0.2 §6.2) → the reading JSON (docs/reading.md), with the
 * CRC checked. For telegrams from a decrypting dongle, other countries' meters, or `smarty simulate --plain`.
 */
import { parseTelegram } from "@smarty/p1";
import { optionalFile, parseCommandArgs } from "../cli-args.js";
import { CliError, type CliIo, type Command, EXIT } from "../command.js";
import { p1Failure } from "../p1-failure.js";
import { readInput } from "../read-input.js";

const USAGE = `usage: smarty parse [FILE]

Parses one plaintext telegram (/… to !CRC) from FILE or standard input, checks its CRC and prints the reading
as JSON.

  -h, --help   this text

exit codes: 0 reading printed, 3 CRC mismatch, 4 malformed telegram, 64 bad usage, 66 FILE missing`;

export const parseCommand: Command = {
  name: "parse",
  summary: "parse one plaintext telegram, print the reading JSON",
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { positionals } = parseCommandArgs(argv, {});
    const input = await readInput(optionalFile(positionals), io.stdin);
    // Leading blank lines (a copy-pasted telegram) are not part of it; the parser wants '/' first.
    const start = input.findIndex((b) => b !== 0x0d && b !== 0x0a && b !== 0x20 && b !== 0x09);
    const bytes = start < 0 ? Buffer.alloc(0) : input.subarray(start);
    if (bytes[0] === 0xdb) {
      throw new CliError(
        "malformed telegram: this is an encrypted frame, not a plaintext telegram; use smarty decode --key",
        EXIT.format,
      );
    }
    try {
      io.stdout.write(`${JSON.stringify(parseTelegram(bytes), null, 2)}\n`);
      return EXIT.ok;
    } catch (err) {
      throw p1Failure(err, "telegram");
    }
  },
};
