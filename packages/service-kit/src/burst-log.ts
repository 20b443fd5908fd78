/**
 * "Log once per burst": the first event of a kind is logged at once; repeats within the window are only counted,
 * and one summary line with the count is written when the window closes. Keeps a failing meter from filling the
 * SD card with one line every 10 s.
 */
import type { Clock, TimerHandle } from "./clock.js";
import type { Logger } from "./logger.js";

interface Burst {
  count: number;
  timer: TimerHandle;
  fields: Record<string, unknown>;
}

export class BurstLogger {
  private readonly bursts = new Map<string, Burst>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly windowMs = 60_000,
  ) {}

  /** Logs `msg` at warn for the first event of `kind` in a window; later ones are summarised. */
  warn(kind: string, fields: Record<string, unknown>, msg: string): void {
    const burst = this.bursts.get(kind);
    if (burst) {
      burst.count++;
      burst.fields = fields;
      return;
    }
    this.log.warn({ ...fields, kind }, msg);
    const timer = this.clock.setTimeout(() => this.close(kind, msg), this.windowMs);
    this.bursts.set(kind, { count: 0, timer, fields });
  }

  private close(kind: string, msg: string): void {
    const burst = this.bursts.get(kind);
    this.bursts.delete(kind);
    if (burst && burst.count > 0) {
      this.log.warn({ ...burst.fields, kind, repeated: burst.count, window_ms: this.windowMs }, `${msg} (repeated)`);
    }
  }

  /** Flushes open bursts (on stop). */
  flush(): void {
    for (const [kind, burst] of [...this.bursts]) {
      this.clock.clearTimeout(burst.timer);
      this.bursts.delete(kind);
      if (burst.count > 0) this.log.warn({ ...burst.fields, kind, repeated: burst.count }, "event repeated");
    }
  }
}
