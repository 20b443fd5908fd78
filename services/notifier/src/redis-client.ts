/**
 * The Redis connection as a component. Commands wait while Redis is away (no retry limit per request) instead of
 * failing, so a Redis restart delays statistics and deliveries but loses nothing; the start fails when Redis
 * cannot be reached at all, and the service exits for its supervisor to retry.
 *
 * At shutdown that patience would hold the process forever: every component stopping before Redis waits for its
 * own commands. So `guard`, stopped first, drops the connection at once when Redis is unreachable: the waiting
 * commands fail, the other components stop, and the number of writes that were not made is reported.
 */
import type { Component, Logger } from "@smarty/service-kit";
import { Redis } from "ioredis";

/** How long a QUIT may take when Redis is up. */
const QUIT_TIMEOUT_MS = 2000;

/** ioredis keeps commands for a closed connection here; its queue is only emptied by its own close handler. */
interface RedisInternals {
  offlineQueue?: { length: number };
  flushQueue?: (error: Error) => void;
}

export class RedisComponent implements Component {
  readonly name = "redis";
  readonly client: Redis;
  /** Commands dropped at shutdown: writes that were not made. */
  private dropped = 0;
  private gone = false;

  /** Put last in the component list, so that it stops first. */
  readonly guard: Component = {
    name: "redis-guard",
    start: () => undefined,
    stop: () => {
      if (this.client.status !== "ready") this.drop("Redis unreachable at shutdown");
    },
  };

  constructor(
    url: string,
    private readonly log: Logger,
  ) {
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 10_000 });
    this.client.on("error", (err: Error) => log.warn({ err: { message: err.message } }, "redis error"));
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.client.ping();
  }

  async stop(): Promise<void> {
    if (this.gone || this.client.status === "end") return;
    if (this.client.status !== "ready") {
      this.drop("Redis unreachable at shutdown");
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), QUIT_TIMEOUT_MS);
    });
    const r = await Promise.race([this.client.quit().catch(() => "failed" as const), timeout]);
    clearTimeout(timer);
    if (r !== "OK") this.drop("Redis did not answer QUIT");
  }

  unflushed(): Record<string, number> {
    return { redis_commands: this.dropped };
  }

  private drop(reason: string): void {
    if (this.gone) return;
    this.gone = true;
    const internals = this.client as unknown as RedisInternals;
    // Commands issued from now on (a last count, a last save) fail at once instead of queueing for a reconnect.
    this.client.options.enableOfflineQueue = false;
    this.dropped += (internals.offlineQueue?.length ?? 0) + this.client.commandQueue.length;
    this.log.warn({ reason, commands: this.dropped }, "redis connection dropped");
    this.client.disconnect();
    // After a lost connection ioredis waits in "reconnecting" and its close handler, which fails queued commands,
    // does not run again on disconnect(): fail them here so their callers can finish.
    internals.flushQueue?.call(this.client, new Error(reason));
  }
}
