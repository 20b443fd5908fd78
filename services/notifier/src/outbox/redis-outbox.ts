/**
 * The outbox in Redis: a message is stored before its first delivery attempt and removed only after the channel's
 * server accepted it, so nothing is lost when the notifier or a server stops. Keys under the prefix:
 *
 *   outbox:msg:<id>       the message JSON (OutboxMessage)
 *   outbox:due:<channel>  sorted set per channel: id → time of the next attempt (ms); one set per channel so a
 *                         channel whose server is down never hides the due messages of another
 *   outbox:dedupe:<key>   id of the message enqueued under a dedupe key (expires after 40 days)
 *   outbox:dead           the last 100 messages given up on, with the reason
 *
 * Enqueueing is one Lua script (dedupe check, store, schedule), so an alert episode or a report period is stored
 * once even when the notifier restarts between two attempts to enqueue it.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ChannelName, Outbox, OutboxMessage, OutboxPayload } from "../ports.js";

const DEDUPE_TTL_S = 40 * 86_400;
const DEAD_KEEP = 100;

/** Channels with a due set; `outbox:due` (one set for all) is moved into these at start. */
const CHANNELS: readonly ChannelName[] = ["email", "xmpp"];

const ENQUEUE = `
if ARGV[5] == '1' then
  if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[4]) then return 0 end
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return 1`;

/** Moves the entries of the former single due set into the per-channel sets (KEYS[1]: old set, ARGV[1]: prefix). */
const MIGRATE = `
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #entries, 2 do
  local json = redis.call('GET', ARGV[1] .. 'msg:' .. entries[i])
  if json then
    local channel = cjson.decode(json).channel
    redis.call('ZADD', ARGV[1] .. 'due:' .. channel, entries[i + 1], entries[i])
  end
end
redis.call('DEL', KEYS[1])
return #entries / 2`;

export class RedisOutbox implements Outbox {
  /** Called after a message was stored (the worker starts at once instead of at its next poll). */
  onEnqueued: (() => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  private key(...parts: string[]): string {
    return `${this.prefix}outbox:${parts.join(":")}`;
  }

  async enqueue(
    channel: ChannelName,
    to: string,
    payload: OutboxPayload,
    dedupeKey?: string,
  ): Promise<string | undefined> {
    const now = this.now();
    const message: OutboxMessage = {
      id: randomUUID(),
      channel,
      to,
      created_at: new Date(now).toISOString(),
      attempts: 0,
      payload,
    };
    const stored = await this.redis.eval(
      ENQUEUE,
      3,
      this.key("dedupe", dedupeKey ?? "-"),
      this.key("msg", message.id),
      this.key("due", channel),
      message.id,
      JSON.stringify(message),
      String(now),
      String(DEDUPE_TTL_S),
      dedupeKey ? "1" : "0",
    );
    if (stored !== 1) return undefined;
    this.onEnqueued?.();
    return message.id;
  }

  /** Moves messages queued by an older version (one due set for all channels) into the per-channel sets. */
  async migrate(): Promise<number> {
    return Number(await this.redis.eval(MIGRATE, 1, this.key("due"), this.key()));
  }

  /** Messages of `channel` whose next attempt is due, oldest schedule first. */
  async due(channel: ChannelName, now: number, limit = 200): Promise<OutboxMessage[]> {
    const due = this.key("due", channel);
    const ids = await this.redis.zrangebyscore(due, "-inf", String(now), "LIMIT", 0, limit);
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(...ids.map((id) => this.key("msg", id)));
    const out: OutboxMessage[] = [];
    raw.forEach((json, i) => {
      if (json) out.push(JSON.parse(json) as OutboxMessage);
      else void this.redis.zrem(due, ids[i] as string); // stale entry without a message
    });
    return out;
  }

  /** Removes a message the server accepted. */
  async complete(message: OutboxMessage): Promise<void> {
    await this.redis.multi().del(this.key("msg", message.id)).zrem(this.key("due", message.channel), message.id).exec();
  }

  /** Stores the message with one more attempt and schedules it at `at`. */
  async retry(message: OutboxMessage, at: number): Promise<void> {
    const next: OutboxMessage = { ...message, attempts: message.attempts + 1 };
    await this.redis
      .multi()
      .set(this.key("msg", message.id), JSON.stringify(next))
      .zadd(this.key("due", message.channel), at, message.id)
      .exec();
  }

  /** Gives up on a message: removed from the queue, kept in the dead list with the reason. */
  async fail(message: OutboxMessage, reason: string): Promise<void> {
    const entry = JSON.stringify({ reason, failed_at: new Date(this.now()).toISOString(), message });
    await this.redis
      .multi()
      .del(this.key("msg", message.id))
      .zrem(this.key("due", message.channel), message.id)
      .lpush(this.key("dead"), entry)
      .ltrim(this.key("dead"), 0, DEAD_KEEP - 1)
      .exec();
  }

  /** Messages waiting, all channels or one. */
  async pending(channel?: ChannelName): Promise<number> {
    let n = 0;
    for (const c of channel ? [channel] : CHANNELS) n += await this.redis.zcard(this.key("due", c));
    return n;
  }

  /** Reasons of the messages given up on, newest first. */
  async dead(): Promise<{ reason: string; message: OutboxMessage }[]> {
    const entries = await this.redis.lrange(this.key("dead"), 0, -1);
    return entries.map((e) => JSON.parse(e) as { reason: string; message: OutboxMessage });
  }
}
