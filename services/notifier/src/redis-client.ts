/**
 * The Redis connection as a component. Commands wait while Redis is away (no retry limit per request) instead of
 * failing, so a Redis restart delays statistics and deliveries but loses nothing; the start fails when Redis
 * cannot be reached at all, and the service exits for its supervisor to retry.
 */
import type { Component, Logger } from "@smarty/service-kit";
import { Redis } from "ioredis";

export class RedisComponent implements Component {
  readonly name = "redis";
  readonly client: Redis;

  constructor(url: string, log: Logger) {
    this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: 10_000 });
    this.client.on("error", (err: Error) => log.warn({ err: { message: err.message } }, "redis error"));
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.client.ping();
  }

  async stop(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
