/**
 * Command-line parsing on top of node:util parseArgs, with the conversions every command shares. Messages name the
 * option and what is wrong with it, never the value given: a mistyped key must not end up in a terminal log.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { parseKey } from "@smarty/p1";
import { UsageError } from "./command.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs<O extends Options> {
  readonly values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : string };
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses argv strictly; `--help`/`-h` is added to every command. Throws UsageError. */
export function parseCommandArgs<O extends Options>(argv: readonly string[], options: O): ParsedArgs<O> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
    const { help, ...rest } = values as Record<string, unknown>;
    return { values: rest as ParsedArgs<O>["values"], positionals, help: help === true };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // parseArgs appends advice about '--' that only confuses here; keep the first sentence.
    throw new UsageError(message.replace(/\. To specify a positional.*$/s, "").replace(/^Unknown/, "unknown"), {
      cause: err,
    });
  }
}

/** A 16-byte key from 32 hex digits; the error names the option and the length, never the text. */
export function keyOption(text: string, option: string): Buffer {
  if (!/^\s*[0-9a-fA-F]{32}\s*$/.test(text)) {
    throw new UsageError(
      `${option} must be 32 hexadecimal digits (16 bytes); the value given has ${text.length} characters`,
    );
  }
  return parseKey(text, option);
}

/** The P1 key from `--key` or the SMARTY_KEY variable (which keeps it out of shell history). */
export function p1Key(value: string | undefined, env: CliEnv, command: string): Buffer {
  const text = value ?? env.SMARTY_KEY;
  if (text === undefined || text === "") {
    throw new UsageError(`${command} needs the P1 key: --key <32 hex digits> or the SMARTY_KEY variable`);
  }
  return keyOption(text, value === undefined ? "SMARTY_KEY" : "--key");
}

type CliEnv = Readonly<Record<string, string | undefined>>;

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `10s`, `500ms`, `1m`, `2h`, or a bare number of seconds → milliseconds (whole, ≥ 1). */
export function durationOption(text: string, option: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * (DURATION_UNITS[m[2] ?? "s"] ?? 1000)) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1) {
    throw new UsageError(`${option} must be a duration such as 10s, 500ms or 1m`);
  }
  return ms;
}

/** A non-negative integer option. */
export function integerOption(text: string, option: string, min = 0): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${option} must be a whole number ≥ ${min}`);
  return n;
}

/** One of a fixed set of words. */
export function choiceOption<T extends string>(text: string, option: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${option} must be one of ${choices.join(", ")}`);
}

/** At most one FILE positional. */
export function optionalFile(positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length} arguments`);
  return positionals[0];
}
