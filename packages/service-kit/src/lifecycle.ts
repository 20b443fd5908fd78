/**
 * Start/stop of a service's components: start in order, stop in reverse on SIGTERM/SIGINT within a deadline, each
 * step logged with the component's name. `runService` is what a `main.ts` calls after building the parts.
 */
import type { Clock } from "./clock.js";
import { ConfigError, EX_CONFIG } from "./config.js";
import type { Logger } from "./logger.js";

export interface Component {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
  /**
   * After stop: what the component still held and could not hand on (messages not published, writes not made,
   * mails still queued), by name, for the shutdown log. Absent or all zero: nothing.
   */
  unflushed?(): Readonly<Record<string, number>> | undefined;
}

/** Starts components in order; on a failure stops the ones already started and rethrows. */
export async function startAll(components: readonly Component[], log: Logger): Promise<void> {
  const started: Component[] = [];
  for (const c of components) {
    try {
      await c.start();
      started.push(c);
      log.debug({ component: c.name }, "component started");
    } catch (err) {
      log.error({ err, component: c.name }, "component failed to start");
      await stopAll(started, log);
      throw err;
    }
  }
}

/**
 * How long a whole stop may take. docker-compose.yml gives the services the default stop_grace_period of 10 s
 * before SIGKILL; 8 s leaves time for the process to exit and its last log lines to be written.
 */
export const DEFAULT_STOP_TIMEOUT_MS = 8000;
/** Time kept back for each component still to stop, so one that hangs cannot take the others' turn. */
const STOP_RESERVE_MS = 500;

export interface StopOptions {
  /** Bound of the whole stop; default DEFAULT_STOP_TIMEOUT_MS. */
  readonly timeoutMs?: number;
  /** Time of the deadline; real time by default, with timers that keep the process alive until the stop ends. */
  readonly clock?: Pick<Clock, "now" | "setTimeout" | "clearTimeout">;
}

const realTime: Required<StopOptions>["clock"] = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Stops components in reverse order within a deadline; a failing stop is logged and the others still stop. A stop
 * still running when its share of the time is used up is abandoned ("component did not stop in time"), so a
 * dependency that is down (a broker, Redis) never holds the process past its grace period. Afterwards each
 * component's `unflushed()` is logged as "not flushed".
 */
export async function stopAll(components: readonly Component[], log: Logger, options: StopOptions = {}): Promise<void> {
  await stopWithin(components, log, options);
}

/** stopAll; true when every stop finished in time. */
async function stopWithin(components: readonly Component[], log: Logger, options: StopOptions): Promise<boolean> {
  const clock = options.clock ?? realTime;
  const deadline = clock.now() + (options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  const order = [...components].reverse();
  let clean = true;
  for (const [i, c] of order.entries()) {
    const remaining = deadline - clock.now();
    const left = order.length - i - 1;
    const budget = Math.max(remaining - left * STOP_RESERVE_MS, remaining / (left + 1), 0);
    const t0 = clock.now();
    try {
      if (await within(c.stop(), budget, clock)) log.debug({ component: c.name }, "component stopped");
      else {
        clean = false;
        log.warn({ component: c.name, waited_ms: clock.now() - t0 }, "component did not stop in time");
      }
    } catch (err) {
      log.error({ err, component: c.name }, "component failed to stop");
    }
  }
  for (const c of order) {
    const left = c.unflushed?.();
    if (left && Object.values(left).some((n) => n > 0)) log.warn({ component: c.name, ...left }, "not flushed");
  }
  return clean;
}

/** True when `p` settles within `ms`; a rejection is rethrown. */
async function within(p: Promise<void> | void, ms: number, clock: Required<StopOptions>["clock"]): Promise<boolean> {
  if (!(p instanceof Promise)) return true;
  let timer: ReturnType<Clock["setTimeout"]> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}

export interface RunOptions extends StopOptions {}

/** Runs a service until SIGTERM/SIGINT, then stops it within the stop deadline and exits 0 (1 when start failed). */
export async function runService(
  components: readonly Component[],
  log: Logger,
  options: RunOptions = {},
): Promise<void> {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    const clean = await stopWithin(components, log, options);
    log.info({ clean }, "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
  try {
    await startAll(components, log);
    log.info("started");
  } catch {
    process.exit(1);
  }
}

/**
 * Loads config with `load`; on ConfigError prints "Refusing to start: invalid configuration" and one line per bad
 * variable to stderr, then exits 78.
 */
export function configOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Refusing to start: invalid configuration\n${err.problems.map((p) => `  ${p}\n`).join("")}`);
      process.exit(EX_CONFIG);
    }
    throw err;
  }
}
