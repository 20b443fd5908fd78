/**
 * A stop with a deadline. Compose gives ingest `stop_grace_period: 30s` before SIGKILL, and a kill loses the log line
 * that says which readings were never published. Each component bounds its own wait where it can (the queue flush by
 * INGEST_SHUTDOWN_TIMEOUT), but a broker that is connected yet frozen leaves QoS 1 publishes waiting for a PUBACK that
 * never comes (MQTT 3.1.1 §4.3.2); so the whole stop is bounded here too, and what is still pending is named.
 * Exiting without the `offline` publish is safe: the broker then sends the Last Will, which says the same.
 */
import { type Clock, type Component, type Logger, stopAll } from "@smarty/service-kit";

/** Time the broker goodbye (last health, `offline` status, DISCONNECT) gets after the queue flush. */
export const SHUTDOWN_GRACE_MS = 3000;

export interface BoundedStopOptions {
  readonly components: readonly Component[];
  readonly logger: Logger;
  readonly clock: Clock;
  readonly deadlineMs: number;
  /** Readings still queued, for the final word when the deadline passes. */
  readonly queued: () => number;
}

/** Stops the components in reverse order; resolves by `deadlineMs` at the latest, naming what had not stopped. */
export function stopWithin(options: BoundedStopOptions): Promise<void> {
  const log = options.logger.child({ component: "shutdown" });
  const pending = new Set(options.components.map((c) => c.name));
  const tracked = options.components.map((c) => ({
    name: c.name,
    start: () => c.start(),
    stop: async () => {
      try {
        await c.stop();
      } finally {
        pending.delete(c.name);
      }
    },
  }));
  return new Promise<void>((resolve) => {
    const timer = options.clock.setTimeout(() => {
      log.error(
        { deadline_ms: options.deadlineMs, still_stopping: [...pending].reverse(), queue_length: options.queued() },
        "shutdown deadline reached: exiting without waiting for the rest",
      );
      resolve();
    }, options.deadlineMs);
    void stopAll(tracked, options.logger).then(() => {
      options.clock.clearTimeout(timer);
      resolve();
    });
  });
}
