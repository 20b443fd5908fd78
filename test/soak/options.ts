/**
 * What a soak run does: how many simulated days and meters, the seed of every random choice, how many faults of
 * each kind. `npm run soak` takes these as flags (`--days 30 --meters 3 --seed 7 --interval 60`), the CI test uses
 * `CI_SOAK`.
 */

export const FAULT_KINDS = [
  "broker_restart",
  "tcp_drop",
  "serial_unplug",
  "redis_restart",
  "smtp_outage",
  "xmpp_outage",
  "corrupt_bytes",
  "crc_corrupt",
  "junk_bytes",
  "truncated_frame",
  "replayed_frame",
  "key_change",
  "ingest_sigterm",
  "ingest_sigkill",
  "notifier_sigterm",
  "notifier_sigkill",
  // Faults struck with frames in flight (the ones above wait until the pipeline has taken every frame).
  "broker_kill",
  "ingest_sigterm_inflight",
  "tcp_drop_inflight",
  "serial_unplug_inflight",
  // Hostile input.
  "forged_frame",
  "clock_jump",
  "replay_after_restart",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SoakOptions {
  readonly days: number;
  /** At least 2: the last meter is on the serial (pty) path, the others on TCP bridges. */
  readonly meters: number;
  readonly seed: number;
  /** Meter time between telegrams, ms (the Smarty sends every 10 s; 60 s keeps a month of frames affordable). */
  readonly intervalMs: number;
  /** Faults of each kind over the run. */
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** Frames of one meter that may be unconfirmed at once (the feeder waits for the readings). */
  readonly window: number;
  /** Frames under the wrong key in one key-change fault. */
  readonly keyChangeFrames: number;
  /** Print progress lines. */
  readonly verbose: boolean;
}

const ONE_EACH = Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])) as Record<FaultKind, number>;

/** The short variant run by `vitest` (about 2 simulated days). */
export const CI_SOAK: SoakOptions = {
  days: 2,
  meters: 3,
  seed: 20260329,
  intervalMs: 60_000,
  faults: ONE_EACH,
  window: 24,
  keyChangeFrames: 5,
  verbose: false,
};

/** The full run of `npm run soak`: a month, several faults of each kind. */
export function fullSoak(days = 30, meters = 3, seed = 20260329, intervalMs = 60_000): SoakOptions {
  const scale = Math.max(1, Math.round(days / 6));
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, scale])) as Record<FaultKind, number>;
  faults.key_change = Math.min(2, scale);
  return { days, meters, seed, intervalMs, faults, window: 24, keyChangeFrames: 20, verbose: true };
}

/** `--days N --meters N --seed N --interval S` (seconds). */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const get = (name: string): number | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
    return n;
  };
  const meters = get("meters") ?? 3;
  if (meters < 2) throw new Error("--meters must be at least 2 (TCP and serial paths)");
  return fullSoak(get("days") ?? 30, meters, get("seed") ?? 20260329, (get("interval") ?? 60) * 1000);
}
