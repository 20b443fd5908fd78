/**
 * `smarty doctor`: reads a source for a few seconds and says in plain words what it sees — nothing, a garbled
 * signal, plaintext DSMR, encrypted frames with a missing or wrong key, or good readings with the meter id. It runs
 * the same pipeline as the service, so what it says is what the service would do.
 */
import { type DecoderOptions, hasP1Key, type Reading } from "@smarty/p1";
import { type Clock, type Logger, silentLogger, systemClock } from "@smarty/service-kit";
import { type Counters, IngestMonitor } from "./pipeline/ingest-monitor.js";
import { Pipeline } from "./pipeline/pipeline.js";
import type { ByteSource } from "./sources/byte-source.js";

export type DoctorVerdict =
  | "unreachable"
  | "nothing"
  | "garbled"
  | "no_key"
  | "wrong_key"
  | "errors"
  | "not_newer"
  | "plaintext"
  | "encrypted";

export interface DoctorReport {
  readonly verdict: DoctorVerdict;
  /** True when the source delivers good readings. */
  readonly ok: boolean;
  readonly message: string;
  readonly counters: Counters;
  readonly meters: readonly string[];
  readonly durationMs: number;
  /** Whether the source could be opened at all. */
  readonly opened: boolean;
}

export interface DoctorOptions {
  readonly source: ByteSource;
  readonly decoder: DecoderOptions;
  /** How long to listen at most; a Smarty meter sends every 10 s, so the default is 15 s. */
  readonly durationMs?: number;
  /** Stop at the first complete frame instead of waiting the whole duration (default true). */
  readonly stopAtFirstFrame?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Stops listening early (Ctrl-C). */
  readonly signal?: AbortSignal;
}

/** Plain-words verdict from the counters of a listening session. */
export function doctorVerdict(
  c: Counters,
  info: {
    encrypted: boolean;
    noKey: boolean;
    meters: readonly string[];
    seconds: number;
    opened?: boolean;
    source?: string;
    openError?: string | undefined;
  },
): { verdict: DoctorVerdict; message: string } {
  const meters = info.meters.join(", ");
  if (info.opened === false) {
    return {
      verdict: "unreachable",
      message:
        `Could not open ${info.source ?? "the source"}` +
        `${info.openError ? ` (${info.openError})` : ""}: check the device path or host and port, and permissions.`,
    };
  }
  if (c.frames_ok > 0) {
    return info.encrypted
      ? { verdict: "encrypted", message: `Good readings: encrypted frames, the key is right. Meter ${meters}.` }
      : {
          verdict: "plaintext",
          message: `Good readings: plaintext DSMR telegrams (no key needed). Meter ${meters}.`,
        };
  }
  if (c.authentication_failures > 0) {
    return info.noKey
      ? {
          verdict: "no_key",
          message: "Encrypted frames arrive, but no key was given: pass --key or set SMARTY_KEY (32 hex digits).",
        }
      : {
          verdict: "wrong_key",
          message:
            "Encrypted frames arrive, but the key does not authenticate them: the P1 key is wrong " +
            "(ask the grid operator for this meter's P1 key).",
        };
  }
  if (c.crc_failures + c.format_errors > 0) {
    return {
      verdict: "errors",
      message: "Frames arrive but fail the CRC or format check: bad cable, noise, or an unsupported meter.",
    };
  }
  if (c.replays + c.stale_readings > 0) {
    return { verdict: "not_newer", message: "Frames arrive but repeat older ones (replayed capture?)." };
  }
  if (c.bytes > 0) {
    return {
      verdict: "garbled",
      message:
        `Received ${c.bytes} bytes but no P1 frame: the signal is probably not inverted, ` +
        "or the baud rate is wrong (Smarty meters send 115200 8N1).",
    };
  }
  return {
    verdict: "nothing",
    message: `Nothing received in ${info.seconds} s: check the cable, that the P1 port is enabled, and the source.`,
  };
}

export async function diagnose(options: DoctorOptions): Promise<DoctorReport> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const durationMs = options.durationMs ?? 15_000;
  const monitor = new IngestMonitor({ clock, logger });
  let encrypted = false;
  let noKey = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const pipeline = new Pipeline({
    decoder: options.decoder,
    monitor,
    clock,
    logger,
    onReading: (r: Reading) => {
      encrypted ||= r.frame !== undefined;
    },
  });
  const source = options.source;
  source.on("data", (chunk) => {
    const before = monitor.counters.authentication_failures;
    pipeline.push(chunk);
    if (monitor.counters.authentication_failures > before) {
      noKey = !hasP1Key(options.decoder);
    }
    const c = monitor.counters;
    const frames = c.frames_ok + c.authentication_failures + c.crc_failures + c.format_errors;
    if (options.stopAtFirstFrame !== false && frames > 0) finish();
  });
  let opened = false;
  source.on("open", () => {
    opened = true;
  });
  source.on("lost", () => pipeline.reset());
  source.on("end", () => {
    pipeline.end();
    finish();
  });
  const timer = clock.setTimeout(finish, durationMs);
  options.signal?.addEventListener("abort", finish, { once: true });
  const started = clock.now();
  await source.start();
  await done;
  clock.clearTimeout(timer);
  options.signal?.removeEventListener("abort", finish);
  await source.stop();
  const meters = [...monitor.meters].sort();
  const { verdict, message } = doctorVerdict(monitor.counters, {
    encrypted,
    noKey,
    meters,
    seconds: Math.round(durationMs / 1000),
    opened,
    source: source.description,
    openError: source.lastError,
  });
  return {
    verdict,
    ok: verdict === "plaintext" || verdict === "encrypted",
    opened,
    message,
    counters: { ...monitor.counters },
    meters,
    durationMs: clock.now() - started,
  };
}
