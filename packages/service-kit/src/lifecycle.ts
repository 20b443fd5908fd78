/**
 * Start/stop of a service's components: start in order, stop in reverse on SIGTERM/SIGINT, each step logged with
 * the component's name. `runService` is what a `main.ts` calls after building the parts.
 */
import { ConfigError, EX_CONFIG } from "./config.js";
import type { Logger } from "./logger.js";

export interface Component {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
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

/** Stops components in reverse order; a failing stop is logged and the others still stop. */
export async function stopAll(components: readonly Component[], log: Logger): Promise<void> {
  for (const c of [...components].reverse()) {
    try {
      await c.stop();
      log.debug({ component: c.name }, "component stopped");
    } catch (err) {
      log.error({ err, component: c.name }, "component failed to stop");
    }
  }
}

/** Runs a service until SIGTERM/SIGINT, then stops it and exits 0 (1 when start failed). */
export async function runService(components: readonly Component[], log: Logger): Promise<void> {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    await stopAll(components, log);
    log.info("stopped");
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
