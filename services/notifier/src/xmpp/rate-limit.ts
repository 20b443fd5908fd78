/**
 * Per-contact token buckets for the chat bot. Each contact may send `burst` messages at once and one more every
 * `refillMs` after that. The first refused message of a burst gets one short answer ("limited"); the ones after it
 * get none ("silent"), so a flood (or a server replaying a contact's JID) costs the bot no work and the contact's
 * phone no replies. Time comes from the injected clock.
 */

export interface RateLimit {
  /** Messages accepted at once. */
  readonly burst: number;
  /** One more message is accepted after this long. */
  readonly refillMs: number;
}

/** Chat commands of one contact: ten at once, then one every 6 s (ten a minute). */
export const COMMAND_RATE: RateLimit = { burst: 10, refillMs: 6_000 };
/** `report` commands of one contact, each one mails a report: three at once, then one every 20 min. */
export const REPORT_RATE: RateLimit = { burst: 3, refillMs: 20 * 60_000 };

export type RateVerdict = "ok" | "limited" | "silent";

interface Bucket {
  tokens: number;
  at: number;
  told: boolean;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
  ) {}

  /** Takes a token for `key`: "ok", or "limited" once per burst of refusals, then "silent". */
  take(key: string): RateVerdict {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now, told: false };
    const refilled = Math.floor((now - b.at) / this.limit.refillMs);
    if (refilled > 0) {
      b.tokens = Math.min(this.limit.burst, b.tokens + refilled);
      b.at += refilled * this.limit.refillMs;
    }
    // A full bucket earns nothing while it waits: refilling counts from the first token taken.
    if (b.tokens >= this.limit.burst) b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens--;
      b.told = false;
      return "ok";
    }
    if (b.told) return "silent";
    b.told = true;
    return "limited";
  }

  /** Milliseconds until `key` gets its next token (0 when it has one). */
  waitMs(key: string): number {
    const b = this.buckets.get(key);
    if (!b || b.tokens >= 1) return 0;
    return Math.max(0, b.at + this.limit.refillMs - this.now());
  }
}
