/**
 * Ingest counters over process lifetimes. A restarted ingest starts its counters at zero, so the soak adds up the
 * last `/healthz` of every lifetime; each injected corruption is confirmed in `/healthz` before the run goes on,
 * so a later SIGKILL cannot take a count with it.
 */
export const COUNTERS = [
  "authentication_failures",
  "crc_failures",
  "replays",
  "skipped_bytes",
  "format_errors",
  "plaintext_rejected",
  "clock_suspect_readings",
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counts = Record<Counter, number>;

const zero = (): Counts => ({
  authentication_failures: 0,
  crc_failures: 0,
  replays: 0,
  skipped_bytes: 0,
  format_errors: 0,
  plaintext_rejected: 0,
  clock_suspect_readings: 0,
});

export class IngestCounters {
  /** Sum of the finished lifetimes. */
  private base = zero();
  private last = zero();
  /** What the faults injected so far should have produced. */
  readonly expected = zero();
  /** Source reconnects of the running process, from its last `/healthz` (-1 when it did not answer). */
  reconnects = -1;
  constructor(private readonly port: number) {}

  async fetch(): Promise<Counts | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/healthz`);
      const h = (await res.json()) as Record<string, number>;
      this.reconnects = Number(h.reconnects ?? 0);
      this.last = Object.fromEntries(COUNTERS.map((c) => [c, Number(h[c] ?? 0)])) as Counts;
      return this.total();
    } catch {
      this.reconnects = -1;
      return undefined;
    }
  }

  total(): Counts {
    return Object.fromEntries(COUNTERS.map((c) => [c, this.base[c] + this.last[c]])) as Counts;
  }

  /**
   * The process is about to end: keep its last counters. `fetch: false` for a stop that must strike at once: the
   * counters last fetched stand (every injection was confirmed in /healthz before the run went on).
   */
  async endLifetime(fetch = true): Promise<void> {
    if (fetch) await this.fetch();
    this.base = this.total();
    this.last = zero();
  }

  /** Polls until every counter reached what was injected (skipped bytes at least that). */
  async confirm(timeoutMs = 8000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = await this.fetch();
      if (t && this.matches(t)) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private matches(t: Counts): boolean {
    return COUNTERS.every((c) => (c === "skipped_bytes" ? t[c] >= this.expected[c] : t[c] === this.expected[c]));
  }
}
