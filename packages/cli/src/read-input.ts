/**
 * Reads the one frame or telegram that `decode` and `parse` work on, from FILE or stdin, with a size limit: a P1
 * frame is about 1.2 kB, so anything past the limit is the wrong input, not something to buffer forever.
 */
import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { CliError, EXIT } from "./command.js";

/** 64 KiB: fifty times a Lux frame. */
export const MAX_INPUT_BYTES = 64 * 1024;

/** Reads all of `stream`; throws CliError when it holds more than `limit` bytes. */
export async function readStream(stream: Readable, limit = MAX_INPUT_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === "string" ? Buffer.from(chunk, "latin1") : (chunk as Buffer);
    size += b.length;
    if (size > limit) {
      stream.destroy();
      throw tooLarge("standard input", limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** FILE, or stdin when FILE is absent or `-`. */
export async function readInput(file: string | undefined, stdin: Readable, limit = MAX_INPUT_BYTES): Promise<Buffer> {
  if (file === undefined || file === "-") return readStream(stdin, limit);
  try {
    const info = await stat(file);
    if (info.isFile() && info.size > limit) throw tooLarge(file, limit);
    return await readFile(file);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "unreadable");
    throw new CliError(`cannot read ${file}: ${why}`, EXIT.noInput, { cause: err });
  }
}

function tooLarge(what: string, limit: number): CliError {
  return new CliError(
    `${what} holds more than ${limit} bytes, which is not one frame; give one frame or telegram`,
    EXIT.format,
  );
}

/** Hex text (any whitespace, optional `0x`) → bytes; throws CliError (malformed, exit 4) when it is not hex. */
export function hexInput(text: Buffer): Buffer {
  const clean = text.toString("latin1").replace(/\s+/g, "").replace(/^0x/i, "");
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) {
    throw new CliError("malformed frame: --hex input must be pairs of hexadecimal digits", EXIT.format);
  }
  return Buffer.from(clean, "hex");
}
