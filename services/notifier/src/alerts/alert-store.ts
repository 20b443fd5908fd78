/**
 * Redis persistence of alert state, so a restart neither repeats nor forgets an episode:
 *
 *   alerts           hash: "<meter>/<alert id>" → TrackedAlert JSON (last published state, timers, cooldown)
 *   alerts:last:<m>  JSON snapshot of the counters and states the event rules compare against
 *   alerts:mute      global mute: until (ms)
 */
import type { Alert } from "@smarty/contracts";
import type { Redis } from "ioredis";

export interface TrackedAlert {
  /** Last published state; null before the first activation. */
  alert: Alert | null;
  /** Level rules: since when the condition holds while not yet active. */
  pendingSince: number | null;
  /** Event rules: time of the last event of the episode. */
  lastEventAt: number | null;
  lastNotifiedAt: number | null;
  /** Whether the activation of the current episode was notified (then its clearing is too). */
  episodeNotified: boolean;
}

export class AlertStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(...parts: string[]): string {
    return `${this.prefix}${["alerts", ...parts].join(":")}`;
  }

  async loadAll(): Promise<Map<string, TrackedAlert>> {
    const all = await this.redis.hgetall(this.key());
    return new Map(Object.entries(all).map(([k, v]) => [k, JSON.parse(v) as TrackedAlert]));
  }

  async save(key: string, t: TrackedAlert): Promise<void> {
    await this.redis.hset(this.key(), key, JSON.stringify(t));
  }

  async loadSnapshot<T>(meterId: string): Promise<T | undefined> {
    const json = await this.redis.get(this.key("last", meterId));
    return json ? (JSON.parse(json) as T) : undefined;
  }

  async saveSnapshot(meterId: string, snapshot: unknown): Promise<void> {
    await this.redis.set(this.key("last", meterId), JSON.stringify(snapshot));
  }

  async loadMute(): Promise<number | null> {
    const v = await this.redis.get(this.key("mute"));
    return v ? Number(v) : null;
  }

  async saveMute(until: number | null): Promise<void> {
    if (until === null) await this.redis.del(this.key("mute"));
    else await this.redis.set(this.key("mute"), String(until));
  }
}
