#!/usr/bin/env node
/**
 * The `smarty` command. Each command is a file in src/commands exporting a Command; this table is the only place
 * that lists them, so adding one is an import and a line in COMMANDS.
 */
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CliError, type CliIo, type Command, EXIT, say, UsageError } from "./command.js";
import { decodeCommand } from "./commands/decode.js";
import { doctorCommand } from "./commands/doctor.js";
import { parseCommand } from "./commands/parse.js";
import { replayCommand } from "./commands/replay.js";
import { simulateCommand } from "./commands/simulate.js";

export const COMMANDS: readonly Command[] = [
  decodeCommand,
  parseCommand,
  simulateCommand,
  doctorCommand,
  replayCommand,
];

/** The version of this package: src/ and dist/ both sit next to package.json (so does the image's copy). */
export function cliVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
    return pkg.version ?? "unknown";
  } catch {
    return "unknown";
  }
}

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "usage: smarty <command> [options]",
    "",
    "Tools for the Smarty P1 port: decrypt and parse frames, simulate a meter.",
    "",
    "commands:",
    ...lines,
    `  ${"help".padEnd(width)}  show this text, or a command's help: smarty help <command>`,
    "",
    "  -V, --version  print the version",
    "",
    "Run 'smarty <command> --help' for the options of a command.",
  ].join("\n");
}

/** Runs one command line; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, commands = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(`${overview(commands)}\n`);
    return EXIT.usage;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    const topic = rest[0] === undefined ? undefined : commands.find((c) => c.name === rest[0]);
    if (rest[0] !== undefined && !topic) {
      say(io, "help", "unknown command; run 'smarty help' for the list");
      return EXIT.usage;
    }
    io.stdout.write(`${topic ? topic.usage : overview(commands)}\n`);
    return EXIT.ok;
  }
  if (name === "--version" || name === "-V") {
    io.stdout.write(`smarty ${cliVersion()}\n`);
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    // Echo the word only when it looks like a command name: `smarty --key=…` must not print the key.
    const shown = /^[a-z][a-z0-9-]{0,30}$/.test(name) ? ` '${name}'` : "";
    io.stderr.write(`smarty: unknown command${shown}; run 'smarty help' for the list\n`);
    return EXIT.usage;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      say(io, command.name, `${err.message}; run 'smarty ${command.name} --help'`);
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      say(io, command.name, err.message);
      return err.exitCode;
    }
    // Unexpected: say what broke, without a stack trace (which could carry arguments) unless asked for.
    const message = err instanceof Error ? err.message : String(err);
    say(io, command.name, `internal error: ${message}`);
    if (io.env.SMARTY_DEBUG && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    return EXIT.internal;
  }
}

/** The real process: stdio, environment, and SIGINT/SIGTERM turned into an abort of the running command. */
export function processIo(): { io: CliIo; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    // A second signal while stopping means "now".
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const io: CliIo = {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signal: controller.signal,
    now: () => Date.now(),
    stdoutIsTty: process.stdout.isTTY === true,
  };
  return {
    io,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

/** Entry point of the `smarty` bin. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const { io, dispose } = processIo();
  try {
    process.exitCode = await runCli(argv, io);
  } finally {
    dispose();
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
