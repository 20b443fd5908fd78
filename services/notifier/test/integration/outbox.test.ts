import { randomUUID } from "node:crypto";
import { BurstLogger, ManualClock, silentLogger } from "@smarty/service-kit";
import { type RedisServer, startRedis } from "@smarty/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxWorker } from "../../src/outbox/outbox-worker.js";
import { RedisOutbox } from "../../src/outbox/redis-outbox.js";
import { type DeliveryChannel, type OutboxMessage, TemporaryDeliveryError } from "../../src/ports.js";

const S = 1000;

/** A channel whose server is scripted: each attempt takes the next outcome. */
class ScriptedChannel implements DeliveryChannel {
  readonly channel = "email" as const;
  available = true;
  readonly attempts: { id: string; at: number }[] = [];
  readonly delivered: OutboxMessage[] = [];
  constructor(
    private readonly clock: ManualClock,
    private readonly outcomes: ("down" | "ok" | "reject")[],
  ) {}
  deliver(m: OutboxMessage): Promise<void> {
    this.attempts.push({ id: m.id, at: this.clock.now() });
    const outcome = this.outcomes.shift() ?? "ok";
    if (outcome === "down") return Promise.reject(new TemporaryDeliveryError("connection refused"));
    if (outcome === "reject") return Promise.reject(new Error("550 mailbox unavailable"));
    this.delivered.push(m);
    return Promise.resolve();
  }
}

/** An outbox whose Redis fails the first `completeFailures` completions (a restart, a full disk). */
class FlakyOutbox extends RedisOutbox {
  completeFailures = 0;
  override async complete(message: OutboxMessage): Promise<void> {
    if (this.completeFailures-- > 0) throw new Error("redis: connection lost");
    await super.complete(message);
  }
}

describe("Redis outbox", () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  function setup(
    outcomes: ("down" | "ok" | "reject")[],
    maxAgeMs = 86_400_000,
    extra: { completeFailures?: number; onDelivered?: (m: OutboxMessage) => void | Promise<void> } = {},
  ) {
    const clock = new ManualClock(Date.parse("2026-06-01T10:00:00Z"));
    const outbox = new FlakyOutbox(client, `o${randomUUID()}:`, () => clock.now());
    outbox.completeFailures = extra.completeFailures ?? 0;
    const channel = new ScriptedChannel(clock, outcomes);
    const failed: string[] = [];
    const worker = new OutboxWorker({
      outbox,
      channels: [channel],
      clock,
      log: silentLogger(),
      burst: new BurstLogger(silentLogger(), clock),
      retryMinMs: 10 * S,
      retryMaxMs: 60 * S,
      maxAgeMs,
      onFailed: (_m, err) => void failed.push(err.message),
      ...(extra.onDelivered ? { onDelivered: extra.onDelivered } : {}),
    });
    return { clock, outbox, channel, worker, failed };
  }

  const payload = { kind: "chat", text: "hello" } as const;

  it("stores a deduplicated message once", async () => {
    const { outbox } = setup([]);
    expect(await outbox.enqueue("email", "a@example.org", payload, "episode-1")).toBeTypeOf("string");
    expect(await outbox.enqueue("email", "a@example.org", payload, "episode-1")).toBeUndefined();
    expect(await outbox.enqueue("email", "a@example.org", payload)).toBeTypeOf("string");
    expect(await outbox.pending()).toBe(2);
  });

  it("retries with doubling back-off while the server is down, then delivers once", async () => {
    const { clock, outbox, channel, worker } = setup(["down", "down", "down", "ok"]);
    await outbox.enqueue("email", "a@example.org", payload);
    await outbox.enqueue("email", "b@example.org", payload);
    worker.start();
    const step = async (ms: number) => {
      for (let t = 0; t < ms; t += S) {
        clock.advance(S);
        await worker.idle();
      }
    };
    await worker.idle();
    await step(70 * S);
    await worker.stop();
    const t0 = Date.parse("2026-06-01T10:00:00Z");
    // One attempt per back-off step for the whole channel (10 s, 20 s, 40 s), not one per message per poll.
    expect(channel.attempts.map((a) => (a.at - t0) / S)).toEqual([0, 10, 30, 70, 70]);
    expect(channel.delivered.map((m) => m.to).sort()).toEqual(["a@example.org", "b@example.org"]);
    expect(await outbox.pending()).toBe(0);
  });

  it("gives up at once on a permanent error and keeps the reason", async () => {
    const { outbox, worker, failed, channel } = setup(["reject"]);
    await outbox.enqueue("email", "a@example.org", payload);
    worker.start();
    await worker.idle();
    await worker.stop();
    expect(channel.attempts).toHaveLength(1);
    expect(failed).toEqual(["550 mailbox unavailable"]);
    expect((await outbox.dead()).map((d) => d.reason)).toEqual(["550 mailbox unavailable"]);
    expect(await outbox.pending()).toBe(0);
  });

  it("waits without attempts while the channel is unavailable, and drops messages past their age", async () => {
    const { clock, outbox, worker, channel, failed } = setup([], 60 * S);
    channel.available = false;
    await outbox.enqueue("email", "a@example.org", payload);
    worker.start();
    clock.advance(30 * S);
    await worker.idle();
    expect(channel.attempts).toEqual([]);
    clock.advance(31 * S);
    await worker.idle();
    await worker.stop();
    expect(failed).toEqual(["not delivered within 1m"]);
  });

  it("records a delivered message as delivered when the bookkeeping after it fails: never sent again, never dead", async () => {
    const notified: string[] = [];
    let notifyFailures = 1;
    const { clock, outbox, worker, channel, failed } = setup(["ok"], 86_400_000, {
      completeFailures: 2,
      onDelivered: (m) => {
        if (notifyFailures-- > 0) throw new Error("alert state not saved");
        notified.push(m.to);
      },
    });
    await outbox.enqueue("email", "a@example.org", payload);
    worker.start();
    await worker.idle();
    for (let i = 0; i < 5; i++) {
      clock.advance(S);
      await worker.idle();
    }
    await worker.stop();
    expect(channel.attempts).toHaveLength(1);
    expect(worker.delivered).toBe(1);
    expect(failed).toEqual([]);
    expect(await outbox.dead()).toEqual([]);
    expect(await outbox.pending()).toBe(0);
    expect(notified).toEqual(["a@example.org"]);
  });
});

describe("Redis outbox with two channels", () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client?.quit();
    await redis?.stop();
  });

  /** A channel that records deliveries; `available` is its server's state. */
  class RecordingChannel implements DeliveryChannel {
    available = true;
    readonly delivered: OutboxMessage[] = [];
    constructor(readonly channel: "email" | "xmpp") {}
    deliver(m: OutboxMessage): Promise<void> {
      this.delivered.push(m);
      return Promise.resolve();
    }
  }

  it("delivers email within one retry interval while XMPP is down with 1 000 messages queued before it", async () => {
    const clock = new ManualClock(Date.parse("2026-06-01T10:00:00Z"));
    const outbox = new RedisOutbox(client, `o${randomUUID()}:`, () => clock.now());
    const email = new RecordingChannel("email");
    const xmpp = new RecordingChannel("xmpp");
    xmpp.available = false;
    const retryMinMs = 10 * S;
    const worker = new OutboxWorker({
      outbox,
      channels: [email, xmpp],
      clock,
      log: silentLogger(),
      burst: new BurstLogger(silentLogger(), clock),
      retryMinMs,
      retryMaxMs: 60 * S,
      maxAgeMs: 86_400_000,
    });
    const chat = { kind: "chat", text: "hello" } as const;
    for (let i = 0; i < 1000; i++) await outbox.enqueue("xmpp", "alice@example.org", chat);
    clock.advance(S);
    await outbox.enqueue("email", "alice@example.org", chat);
    worker.start();
    for (let t = 0; t < retryMinMs && email.delivered.length === 0; t += S) {
      clock.advance(S);
      await worker.idle();
    }
    await worker.stop();
    expect(email.delivered.map((m) => m.to)).toEqual(["alice@example.org"]);
    expect(xmpp.delivered).toEqual([]);
    expect(await outbox.pending()).toBe(1000);
  });

  it("moves messages queued in the single due set of earlier versions into the channel queues", async () => {
    const clock = new ManualClock(Date.parse("2026-06-01T10:00:00Z"));
    const prefix = `o${randomUUID()}:`;
    const outbox = new RedisOutbox(client, prefix, () => clock.now());
    const email = new RecordingChannel("email");
    const message: OutboxMessage = {
      id: "legacy-1",
      channel: "email",
      to: "alice@example.org",
      created_at: new Date(clock.now()).toISOString(),
      attempts: 2,
      payload: { kind: "chat", text: "queued before the upgrade" },
    };
    await client.set(`${prefix}outbox:msg:legacy-1`, JSON.stringify(message));
    await client.zadd(`${prefix}outbox:due`, clock.now(), "legacy-1");
    const worker = new OutboxWorker({
      outbox,
      channels: [email],
      clock,
      log: silentLogger(),
      burst: new BurstLogger(silentLogger(), clock),
      retryMinMs: 10 * S,
      retryMaxMs: 60 * S,
      maxAgeMs: 86_400_000,
    });
    worker.start();
    await worker.idle();
    await worker.stop();
    expect(email.delivered.map((m) => m.id)).toEqual(["legacy-1"]);
    expect(await client.exists(`${prefix}outbox:due`)).toBe(0);
    expect(await outbox.pending()).toBe(0);
  });
});
