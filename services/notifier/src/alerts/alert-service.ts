/**
 * Runs the rules: on every reading (power, quality, state changes), on ingest health (authentication failures),
 * and on a timer (meter silent, event alerts expiring). All evaluations go through one queue, so a timer tick and
 * a reading never interleave their updates of the same alert.
 */
import type { IngestHealth } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { type Clock, type Component, formatDuration, type Logger, type TimerHandle } from "@smarty/service-kit";
import { isoLocal } from "../calendar.js";
import type { FileConfig } from "../config-file.js";
import type { QuarterProgress } from "../statistics/meter-state.js";
import type { Sample } from "../statistics/registers.js";
import type { AlertEngine } from "./alert-engine.js";
import type { AlertStore } from "./alert-store.js";
import { nextSnapshot, type ReadingContext, type Snapshot } from "./reading-context.js";
import { eventSignals } from "./rules-events.js";
import { ingestMeter, ingestSignal, silenceSignal, untrustedCount, untrustedSignal } from "./rules-liveness.js";
import { powerSignals } from "./rules-power.js";
import { qualitySignals } from "./rules-quality.js";
import { event, level } from "./signals.js";

/** Pseudo meter id under which the notifier files alerts about itself (mail delivery). */
export const NOTIFIER_ALERT_METER = "notifier";

export interface AlertServiceOptions {
  readonly engine: AlertEngine;
  readonly store: AlertStore;
  readonly config: FileConfig;
  readonly clock: Clock;
  readonly log: Logger;
  /** Meters known from earlier runs: watched for silence from the start. */
  readonly knownMeters: () => Promise<readonly string[]>;
  readonly tickMs?: number;
}

export class AlertService implements Component {
  readonly name = "alerts";
  private timer: TimerHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly lastReceived = new Map<string, number>();
  private readonly snapshots = new Map<string, Snapshot>();
  /** Untrusted-input count last seen per ingest instance (untrustedSignal). */
  private readonly untrusted = new Map<string, number>();
  /** The snapshot last written to Redis per meter, as JSON. */
  private readonly savedSnapshots = new Map<string, string>();

  constructor(private readonly o: AlertServiceOptions) {}

  get engine(): AlertEngine {
    return this.o.engine;
  }

  async start(): Promise<void> {
    await this.o.engine.load();
    const now = this.o.clock.now();
    for (const m of await this.o.knownMeters()) this.lastReceived.set(m, now);
    this.timer = this.o.clock.setInterval(() => void this.tick(), this.o.tickMs ?? 5000);
  }

  async stop(): Promise<void> {
    if (this.timer) this.o.clock.clearInterval(this.timer);
    await this.queue;
  }

  /** Evaluates the reading rules for one accepted reading. */
  onReading(meterId: string, reading: Reading, sample: Sample, quarter: QuarterProgress | undefined): Promise<void> {
    return this.serial(async () => {
      const engine = this.o.engine;
      this.lastReceived.set(meterId, this.o.clock.now());
      const last = this.snapshots.get(meterId) ?? (await this.o.store.loadSnapshot<Snapshot>(meterId));
      const ctx: ReadingContext = {
        meterId,
        reading,
        sample,
        quarter,
        last,
        rules: this.o.config.alerts.rules,
        tariff: this.o.config.tariff,
        isActive: (id) => engine.isActive(meterId, id),
      };
      const silence = silenceSignal(ctx.rules, 0);
      await engine.apply(meterId, [
        ...powerSignals(ctx),
        ...qualitySignals(ctx),
        ...eventSignals(ctx),
        ...(silence ? [silence] : []),
      ]);
      const snapshot = nextSnapshot(reading, sample, last);
      this.snapshots.set(meterId, snapshot);
      // Written only when it changed (counters and states move rarely): every write is an append to Redis' file on
      // the SD card, and after every reading this one was most of what the notifier wrote.
      const json = JSON.stringify(snapshot);
      if (json !== this.savedSnapshots.get(meterId)) {
        await this.o.store.saveSnapshot(meterId, snapshot);
        this.savedSnapshots.set(meterId, json);
      }
    });
  }

  /** A reading of `meterId` whose meter time `t` is `aheadMs` ahead of what the clocks allow was ignored. */
  suspectReading(meterId: string, t: number, aheadMs: number, wallSynced: boolean): Promise<void> {
    return this.serial(async () => {
      if (!this.o.config.alerts.rules.meter_clock.enabled) return;
      const against = wallSynced ? "this host's clock" : "the last reading";
      const text = `A reading dated ${isoLocal(t)} is ${formatDuration(aheadMs)} ahead of ${against}; ignored`;
      await this.o.engine.apply(meterId, [event("meter_clock", "meter_clock", text, Math.round(aheadMs / 1000))]);
    });
  }

  onHealth(health: IngestHealth): Promise<void> {
    return this.serial(async () => {
      const rules = this.o.config.alerts.rules;
      const signals = [
        ingestSignal(rules, health),
        untrustedSignal(rules, health, this.untrusted.get(health.instance)),
      ].filter((s) => s !== undefined);
      this.untrusted.set(health.instance, untrustedCount(health));
      if (signals.length > 0) await this.o.engine.apply(ingestMeter(health), signals);
    });
  }

  /** A mail could not be sent to `recipient` (active) or was sent again (cleared). */
  mailDelivery(recipient: string, problem: string | undefined): Promise<void> {
    return this.serial(async () => {
      if (!this.o.config.alerts.rules.email_undeliverable.enabled) return;
      const id = `email_undeliverable_${recipient.replace(/[^A-Za-z0-9]/g, "_")}`;
      const signal = level(
        "email_undeliverable",
        id,
        problem !== undefined,
        `Mail to ${recipient} not sent: ${problem ?? ""}`,
        null,
        `Mail to ${recipient} is delivered again`,
      );
      if (problem !== undefined || this.o.engine.isActive(NOTIFIER_ALERT_METER, id)) {
        await this.o.engine.apply(NOTIFIER_ALERT_METER, [signal]);
      }
    });
  }

  /** Silence check and event expiry; runs on the timer, callable from tests. */
  tick(): Promise<void> {
    return this.serial(async () => {
      const now = this.o.clock.now();
      for (const [meterId, at] of this.lastReceived) {
        const s = silenceSignal(this.o.config.alerts.rules, now - at);
        if (s) await this.o.engine.apply(meterId, [s]);
      }
      await this.o.engine.expireEvents();
    });
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.queue.then(fn);
    this.queue = next.catch((err: unknown) => this.o.log.error({ err }, "alert evaluation failed"));
    return next;
  }
}
