/**
 * `smarty simulate`: a realistic, reproducible Smarty stream from @smarty/simulator, to stdout, a file, a TCP
 * bridge or a pty, at the meter's pace or as fast as possible. Telegram times follow the clock unless `--start`.
 */
import { MeterSimulator, PROFILES } from "@smarty/simulator";
import { choiceOption, durationOption, integerOption, keyOption, p1Key, parseCommandArgs } from "../cli-args.js";
import { CliError, type CliIo, type Command, EXIT, say, UsageError } from "../command.js";
import { StreamOutput } from "../frame-output.js";
import { createOutput, parseOutputTarget } from "../output-target.js";
import { PtyOutput } from "../pty-output.js";
import { runSimulation, type Speed } from "../simulation-runner.js";
import { TcpServerOutput } from "../tcp-server-output.js";

const OPTIONS = {
  key: { type: "string" },
  "aad-key": { type: "string" },
  seed: { type: "string" },
  interval: { type: "string" },
  count: { type: "string" },
  profile: { type: "string" },
  plain: { type: "boolean" },
  hex: { type: "boolean" },
  start: { type: "string" },
  out: { type: "string" },
  speed: { type: "string" },
  "meter-id": { type: "string" },
  history: { type: "string" },
  "history-interval": { type: "string" },
  "history-out": { type: "string" },
} as const;

const USAGE = `usage: smarty simulate --key <32 hex> [--seed N] [--interval 10s] [--count N]
                       [--profile household|pv|three-phase] [--plain] [--hex] [--start <ISO time>]
                       [--out FILE|tcp://HOST:PORT|pty|pty:PATH] [--speed realtime|max|<factor>]
                       [--history 7d [--history-interval 1m] [--history-out FILE]]

Writes a simulated Smarty meter stream: encrypted frames (or plaintext telegrams with --plain) with registers
that grow with the power integrated over time, three phases, a gas meter on M-Bus channel 1, voltage sags and
long messages now and then. The same seed gives the same stream.

  --key <32 hex>          P1 key to encrypt with (or set SMARTY_KEY); not needed with --plain
  --aad-key <32 hex>      authentication key of the AAD (default 00112233445566778899AABBCCDDEEFF)
  --seed N                seed of the simulated household (default 1)
  --interval D            time between telegrams: 10s (default), 1s, 500ms, 1m
  --count N               stop after N frames (default: run until interrupted)
  --profile P             household (default), pv (solar panels exporting at midday),
                          three-phase (heat pump and car charger, unbalanced phases)
  --plain                 write plaintext telegrams instead of encrypted frames
  --hex                   write each frame as one line of hex text
  --start T               time of the first telegram, ISO 8601 with Z or offset (default: now)
  --meter-id ID           meter id (default SAG1030700012701)
  --out -                 standard output (default)
  --out FILE              write to FILE (replaced)
  --out tcp://H:P         serve the stream as a TCP server, like a ser2net/ESP-Link bridge; port 0 picks one
  --out pty[:PATH]        serve on a pseudo-terminal made with socat; its path is printed on stderr
  --speed S               realtime (default: one frame per interval), max (as fast as possible), or a factor
                          such as 60 (sixty times real time)
  --history D             first a past stretch of D (e.g. 7d) before the start, written as fast as possible;
                          registers and frame counter continue into the live stream
  --history-interval D    time between the history telegrams (default 1m)
  --history-out FILE      write the history to FILE instead of --out (e.g. for 'smarty replay'), then go on
                          with --out
  -h, --help              this text

exit codes: 0 done or interrupted, 64 bad usage, 74 output failed`;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function startOption(text: string): number {
  const ms = ISO_TIME.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError("--start must be an ISO 8601 time with Z or an offset, e.g. 2026-03-29T01:00:00Z");
  return ms;
}

/** `7d`, `12h`, `90m`: the history length (days allowed, unlike the other durations). */
function historyDuration(text: string): number {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(text.trim());
  const ms = days ? Math.round(Number(days[1]) * 86_400_000) : durationOption(text, "--history");
  if (!(ms > 0) || ms > 400 * 86_400_000) throw new UsageError("--history must be a duration such as 7d, 12h or 90m");
  return ms;
}

function speedOption(text: string): Speed {
  if (text === "max") return "max";
  if (text === "realtime") return 1;
  const factor = /^\d+(?:\.\d+)?x?$/.test(text) ? Number.parseFloat(text) : Number.NaN;
  if (!(factor > 0)) throw new UsageError("--speed must be realtime, max or a factor such as 60");
  return factor;
}

export const simulateCommand: Command = {
  name: "simulate",
  summary: "write a simulated meter stream to stdout, a file, a TCP bridge or a pty",
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError("simulate takes no FILE; use --out FILE");
    const plain = values.plain === true;
    const hex = values.hex === true;
    const key = plain ? undefined : p1Key(values.key, io.env, "simulate");
    const aad = values["aad-key"] === undefined ? undefined : keyOption(values["aad-key"], "--aad-key");
    const seed = integerOption(values.seed ?? "1", "--seed");
    const intervalMs = durationOption(values.interval ?? "10s", "--interval");
    const count = values.count === undefined ? undefined : integerOption(values.count, "--count", 1);
    const profile = choiceOption(values.profile ?? "household", "--profile", PROFILES);
    const speed = speedOption(values.speed ?? "realtime");
    const start = values.start === undefined ? io.now() : startOption(values.start);
    const target = parseOutputTarget(values.out);
    if (values.history === undefined && (values["history-out"] ?? values["history-interval"]) !== undefined)
      throw new UsageError("--history-out and --history-interval need --history");
    const history =
      values.history === undefined
        ? undefined
        : {
            durationMs: historyDuration(values.history),
            intervalMs: durationOption(values["history-interval"] ?? "1m", "--history-interval"),
          };
    if (speed === "max" && count === undefined && target.kind !== "stdout") {
      throw new UsageError("--speed max writes without pause; give --count so it ends");
    }
    if (target.kind === "stdout" && io.stdoutIsTty && !plain && !hex) {
      throw new UsageError("refusing to write binary frames to a terminal; add --hex or --plain, or use --out FILE");
    }

    const simulator = new MeterSimulator({
      seed,
      profile,
      start,
      intervalMs,
      ...(key ? { key } : {}),
      ...(aad ? { authenticationKey: aad } : {}),
      ...(values["meter-id"] ? { meterId: values["meter-id"] } : {}),
      ...(history ? { history } : {}),
    });
    if (simulator.historyFrames > 0) {
      const historyTarget = values["history-out"] === undefined ? undefined : parseOutputTarget(values["history-out"]);
      if (historyTarget && historyTarget.kind !== "file")
        throw new UsageError("--history-out must be a FILE (the history is written at once)");
      if (historyTarget) {
        const out = createOutput(historyTarget, io.stdout);
        const count = simulator.historyFrames;
        try {
          await out.start();
          await runSimulation({
            simulator,
            output: out,
            encoding: { plain, hex },
            count,
            speed: "max",
            signal: io.signal,
          });
        } catch (err) {
          throw new CliError(`cannot write ${out.description}: ${(err as Error).message}`, EXIT.io, { cause: err });
        } finally {
          await out.stop();
        }
        say(io, "simulate", `wrote ${count} history frames to ${out.description}`);
      }
    }
    const output = createOutput(target, io.stdout);
    try {
      await output.start();
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CliError(
        `cannot open ${target.kind === "stdout" ? "stdout" : output.description || target.kind}: ${why}`,
        EXIT.io,
        {
          cause: err,
        },
      );
    }
    if (output instanceof TcpServerOutput) say(io, "simulate", `serving frames on ${output.url}`);
    if (output instanceof PtyOutput) say(io, "simulate", `pty device ${output.path} (${output.devicePath})`);
    let written = 0;
    try {
      // History not sent to its own file goes first, as fast as the output takes it.
      const pending = simulator.historyFrames - simulator.count;
      if (pending > 0) {
        const encoding = { plain, hex };
        written += await runSimulation({
          simulator,
          output,
          encoding,
          count: pending,
          speed: "max",
          signal: io.signal,
        });
      }
      written += await runSimulation({ simulator, output, encoding: { plain, hex }, count, speed, signal: io.signal });
    } finally {
      await output.stop();
    }
    if (output instanceof StreamOutput && output.error) {
      throw new CliError(`writing to ${output.description} failed: ${output.error.message}`, EXIT.io, {
        cause: output.error,
      });
    }
    if (target.kind !== "stdout") {
      const dropped =
        output instanceof PtyOutput && output.dropped > 0 ? `, ${output.dropped} dropped with no reader` : "";
      say(io, "simulate", `wrote ${written} frames to ${output.description}${dropped}`);
    }
    return EXIT.ok;
  },
};
