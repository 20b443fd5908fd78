/**
 * `smarty replay FILE --mqtt URL`: a capture (raw P1 bytes, encrypted frames or plaintext telegrams) through the
 * ingest's own pipeline and checks into the broker, as fast as the broker takes it, with a progress bar. The
 * consumers (exporter, display, notifier) then see the readings as if the meter had sent them.
 */
import { stat } from "node:fs/promises";
import { type ReplayProgress, type ReplayResult, replayCapture } from "@smarty/ingest-core";
import { choiceOption, keyOption, parseCommandArgs } from "../cli-args.js";
import { CliError, type CliIo, type Command, EXIT, UsageError } from "../command.js";

const OPTIONS = {
  mqtt: { type: "string" },
  username: { type: "string" },
  "base-topic": { type: "string" },
  protocol: { type: "string" },
  key: { type: "string" },
  "aad-key": { type: "string" },
  states: { type: "boolean" },
} as const;

const USAGE = `usage: smarty replay FILE --mqtt URL [--key <32 hex>] [--username U] [--base-topic smarty]
                     [--protocol 4|5] [--states]

Replays a capture of the P1 stream (as written by 'smarty simulate --out FILE' or recorded from the port) into
the broker as fast as it accepts it: every frame is verified like the ingest service does (GCM tag, CRC, frame
counter, time order) and each reading is published, in order, to <base>/<meter_id>/reading. FILE - reads stdin.

  --mqtt URL          broker (or MQTT_URL), e.g. mqtt://127.0.0.1:1883
  --username U        broker user (or MQTT_USERNAME); the password comes from MQTT_PASSWORD only
  --base-topic T      topic prefix (or MQTT_BASE_TOPIC; default smarty)
  --protocol 4|5      MQTT 3.1.1 (default, or MQTT_PROTOCOL_VERSION) or 5
  --key <32 hex>      the P1 key (or SMARTY_KEY); not needed for plaintext captures
  --aad-key <32 hex>  authentication key of the AAD (default 00112233445566778899AABBCCDDEEFF)
  --states            also publish the state topics <base>/<meter_id>/state/<key>
  -h, --help          this text

exit codes: 0 replayed, 2 no frame could be authenticated (wrong or missing key), 64 bad usage, 66 FILE missing,
74 broker unreachable`;

function bar(p: ReplayProgress, total: number | undefined): string {
  const width = 30;
  const ratio = total ? Math.min(1, p.bytesRead / total) : 0;
  const filled = Math.round(ratio * width);
  const percent = total ? `${String(Math.round(ratio * 100)).padStart(3)}%` : "";
  return `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${percent} ${p.published} readings published`;
}

function summary(r: ReplayResult, file: string, url: string): string {
  const c = r.counters;
  const rejected = c.authentication_failures + c.crc_failures + c.format_errors + c.replays + c.stale_readings;
  return (
    `replayed ${r.published} readings from ${file} to ${url} in ${(r.elapsedMs / 1000).toFixed(1)} s` +
    ` (${rejected} frames rejected: ${c.authentication_failures} authentication, ${c.crc_failures} CRC,` +
    ` ${c.format_errors} format, ${c.replays} replayed, ${c.stale_readings} not newer)` +
    (r.aborted ? "; interrupted" : "")
  );
}

export const replayCommand: Command = {
  name: "replay",
  summary: "replay a capture file into the broker, verified like the ingest does",
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    if (positionals.length !== 1) throw new UsageError("give exactly one FILE (or - for stdin)");
    const file = positionals[0]!;
    const url = values.mqtt ?? io.env.MQTT_URL;
    if (!url) throw new UsageError("--mqtt URL (or MQTT_URL) is required");
    if (!/^(mqtts?|wss?|tcp|ssl):\/\/[^/\s]+/.test(url))
      throw new UsageError("--mqtt must be a URL like mqtt://host:1883");
    const protocol = choiceOption(values.protocol ?? io.env.MQTT_PROTOCOL_VERSION ?? "4", "--protocol", ["4", "5"]);
    const keyText = values.key ?? io.env.SMARTY_KEY;
    const key = keyText ? keyOption(keyText, values.key === undefined ? "SMARTY_KEY" : "--key") : undefined;
    const aad = values["aad-key"] === undefined ? undefined : keyOption(values["aad-key"], "--aad-key");
    let total: number | undefined;
    if (file !== "-") {
      try {
        total = (await stat(file)).size;
      } catch (err) {
        throw new CliError(`cannot read ${file}: no such file`, EXIT.noInput, { cause: err });
      }
    }
    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    const shownUrl = url.replace(/\/\/[^@/]*@/, "//");
    let result: ReplayResult;
    try {
      result = await replayCapture({
        path: file,
        ...(file === "-" ? { stream: io.stdin } : {}),
        decoder: { ...(key ? { key } : {}), ...(aad ? { authenticationKey: aad } : {}) },
        mqtt: {
          url,
          username: values.username ?? io.env.MQTT_USERNAME,
          password: io.env.MQTT_PASSWORD,
          protocolVersion: Number(protocol),
          baseTopic: values["base-topic"] ?? io.env.MQTT_BASE_TOPIC ?? "smarty",
        },
        states: values.states === true,
        signal: io.signal,
        ...(tty ? { onProgress: (p: ReplayProgress) => io.stderr.write(bar(p, total)) } : {}),
      });
    } catch (err) {
      throw new CliError(`cannot reach the broker at ${shownUrl}: ${(err as Error).message}`, EXIT.io, { cause: err });
    }
    if (tty) io.stderr.write("\n");
    io.stdout.write(`${summary(result, file, shownUrl)}\n`);
    if (result.readings === 0 && result.counters.authentication_failures > 0) {
      throw new CliError("no frame could be authenticated: the P1 key is wrong or missing", EXIT.authentication);
    }
    return EXIT.ok;
  },
};
