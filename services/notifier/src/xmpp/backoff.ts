/**
 * Reconnect back-off: exponential from `minMs`, capped at `maxMs`, with ±20 % jitter so that many installations
 * behind one server (or a restarted server) do not reconnect in lockstep.
 */

export interface BackoffOptions {
  readonly minMs: number;
  readonly maxMs: number;
  /** Uniform in [0, 1); Math.random by default, fixed in tests. */
  readonly random?: () => number;
}

const JITTER = 0.2;

/**
 * Delay before reconnect attempt number `failures` (0 = first retry after a drop).
 * @param failures consecutive failed attempts so far
 */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const base = Math.min(options.maxMs, options.minMs * 2 ** Math.min(failures, 30));
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.max(options.minMs, Math.min(options.maxMs, jittered)));
}
