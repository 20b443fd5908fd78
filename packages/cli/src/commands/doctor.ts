/**
 * `smarty doctor`: listens to a P1 source for a few seconds and says in plain words what it sees — nothing, a
 * garbled signal (not inverted / wrong baud rate), plaintext DSMR, encrypted frames with a missing or wrong key, or
 * good readings with the meter id. It runs the ingest's own pipeline, so its verdict is what the service would do.
 */
import {
  createSource,
  type DoctorReport,
  diagnose,
  type KeyError,
  parseKeyList,
  parseSourceUrl,
  type SourceUrlError,
} from "@smarty/ingest-core";
import type { DecoderOptions } from "@smarty/p1";
import { durationOption, keyOption, optionalFile, parseCommandArgs } from "../cli-args.js";
import { type CliIo, type Command, EXIT, UsageError } from "../command.js";

const OPTIONS = {
  source: { type: "string" },
  key: { type: "string" },
  "aad-key": { type: "string" },
  "no-verify-tag": { type: "boolean" },
  duration: { type: "string" },
  json: { type: "boolean" },
} as const;

const USAGE = `usage: smarty doctor [--source <source>] [--key <32 hex>] [--duration 15s] [--json]

Listens to the meter for up to 15 s (a Smarty meter sends every 10 s) and says in plain words what arrives:
nothing, a garbled signal, plaintext DSMR telegrams, encrypted frames with a missing or wrong key, or good
readings with the meter id. It stops at the first complete frame.

  --source S        serial:///dev/ttyUSB0 (default, or SMARTY_SOURCE), tcp://HOST:PORT, file:///PATH or -
  --key <32 hex>    the P1 key (or SMARTY_KEY; SMARTY_KEYS for per-meter keys); omit it to test a plaintext meter
  --aad-key <32 hex> authentication key of the AAD (default 00112233445566778899AABBCCDDEEFF)
  --no-verify-tag   do not check the GCM tag (for meters reported to fail it)
  --duration D      how long to listen at most (default 15s)
  --json            print the report as JSON
  -h, --help        this text

exit codes: 0 good readings, 1 nothing usable (no bytes, garbled signal, source cannot be opened),
2 authentication failed (wrong or missing key), 3 CRC errors, 4 malformed frames, 64 bad usage`;

const VERDICT_EXIT: Readonly<Record<DoctorReport["verdict"], number>> = {
  encrypted: EXIT.ok,
  plaintext: EXIT.ok,
  no_key: EXIT.authentication,
  wrong_key: EXIT.authentication,
  errors: EXIT.crc,
  not_newer: 1,
  garbled: 1,
  nothing: 1,
  unreachable: 1,
};

function decoderFrom(values: { key?: string; "aad-key"?: string; "no-verify-tag"?: boolean }, io: CliIo) {
  const keyText = values.key ?? io.env.SMARTY_KEY;
  let keysBySystemTitle: Map<string, Buffer> | undefined;
  try {
    const list = parseKeyList(io.env.SMARTY_KEYS ?? "");
    if (list.size > 0) keysBySystemTitle = list;
  } catch (err) {
    throw new UsageError(`SMARTY_KEYS: ${(err as KeyError).message}`);
  }
  const decoder: DecoderOptions = {
    ...(keyText ? { key: keyOption(keyText, values.key === undefined ? "SMARTY_KEY" : "--key") } : {}),
    ...(keysBySystemTitle ? { keysBySystemTitle } : {}),
    ...(values["aad-key"] ? { authenticationKey: keyOption(values["aad-key"], "--aad-key") } : {}),
    verifyTag: values["no-verify-tag"] !== true,
  };
  return decoder;
}

function report(r: DoctorReport): string {
  const c = r.counters;
  const lines = [
    r.message,
    "",
    `  listened        ${(r.durationMs / 1000).toFixed(1)} s`,
    `  bytes           ${c.bytes} (${c.skipped_bytes} outside frames)`,
    `  good frames     ${c.frames_ok}`,
    `  rejected        ${c.authentication_failures} authentication, ${c.crc_failures} CRC, ${c.format_errors} format`,
  ];
  if (r.meters.length > 0) lines.push(`  meter           ${r.meters.join(", ")}`);
  return lines.join("\n");
}

export const doctorCommand: Command = {
  name: "doctor",
  summary: "listen to the meter and say in plain words what arrives (cable, signal, key)",
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS);
    if (optionalFile(positionals) !== undefined) throw new UsageError("doctor takes no FILE; use --source");
    let spec: ReturnType<typeof parseSourceUrl>;
    try {
      spec = parseSourceUrl(values.source ?? io.env.SMARTY_SOURCE ?? "serial:///dev/ttyUSB0");
    } catch (err) {
      throw new UsageError(`--source ${(err as SourceUrlError).message}`);
    }
    // A capture is read at once, not at the meter's pace.
    if (spec.kind === "file") spec = { ...spec, speed: "max" };
    const decoder = decoderFrom(values, io);
    const durationMs = values.duration === undefined ? 15_000 : durationOption(values.duration, "--duration");
    const source = createSource(spec, {
      reconnectMinMs: 1000,
      reconnectMaxMs: 2000,
      stdin: io.stdin,
    });
    const result = await diagnose({ source, decoder, durationMs, signal: io.signal });
    io.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${report(result)}\n`);
    if (result.verdict === "errors" && result.counters.crc_failures === 0) return EXIT.format;
    return VERDICT_EXIT[result.verdict];
  },
};
