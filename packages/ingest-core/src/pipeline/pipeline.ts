/**
 * Bytes → frames → verified readings. One way only: the source pushes chunks, the splitter finds frames, the codec
 * decrypts/verifies/parses, the frame checks reject replays and stale readings, and what survives goes to
 * `onReading`. Nothing here throws out of `push()`: every failure is counted, logged once per burst, and the next
 * frame is tried.
 */
import {
  type DecoderOptions,
  decodeFrame,
  FrameSplitter,
  frameSystemTitle,
  hasP1Key,
  keyForSystemTitle,
  type Reading,
  readingTimeMs,
  type SkipEvent,
  type SplitFrame,
  toP1Error,
} from "@smarty/p1";
import { BurstLogger, type Clock, type Logger } from "@smarty/service-kit";
import type { ClockCheck } from "./clock-check.js";
import { FrameCounterTracker, FreshnessGuard } from "./frame-checks.js";
import type { IngestMonitor } from "./ingest-monitor.js";

export interface PipelineOptions {
  readonly decoder: DecoderOptions;
  readonly monitor: IngestMonitor;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onReading: (reading: Reading) => void;
  /** Frame-counter step back still judged a replay (default one day of frames). */
  readonly replayWindow?: number;
  /**
   * Accept plaintext telegrams although a P1 key is configured (meters outside Luxembourg behind a shared setup).
   * Off by default: with a key, only GCM-authenticated frames are genuine.
   */
  readonly allowPlaintext?: boolean;
  /** Meter time against the host's clocks (live sources); without it, no such check. */
  readonly clockCheck?: ClockCheck;
  /** Window of the burst logger (default 60 s). */
  readonly burstWindowMs?: number;
}

export class Pipeline {
  private readonly splitter: FrameSplitter;
  private readonly counters: FrameCounterTracker;
  private readonly freshness = new FreshnessGuard();
  private readonly burst: BurstLogger;
  private readonly log: Logger;
  private sawPlaintext = false;

  constructor(private readonly options: PipelineOptions) {
    this.log = options.logger.child({ component: "pipeline" });
    this.burst = new BurstLogger(this.log, options.clock, options.burstWindowMs ?? 60_000);
    this.splitter = new FrameSplitter({
      onFrame: (f) => this.onFrame(f),
      onSkip: (s) => this.onSkip(s),
    });
    this.counters = new FrameCounterTracker({
      ...(options.replayWindow !== undefined ? { replayWindow: options.replayWindow } : {}),
      ...(options.decoder.keysBySystemTitle ? { knownTitles: new Set(options.decoder.keysBySystemTitle.keys()) } : {}),
    });
  }

  push(chunk: Buffer): void {
    this.options.monitor.bytes(chunk.length);
    this.splitter.push(chunk);
  }

  /** The source lost its connection: a partial frame cannot be completed by the next connection's bytes. */
  reset(): void {
    this.splitter.reset();
  }

  /**
   * What the last published reading of a meter says, from before a restart (its retained message): frames and
   * readings not newer than it are replays. Never moves any state back.
   */
  restore(reading: Pick<Reading, "meter_id" | "time" | "frame">): void {
    const time = readingTimeMs(reading);
    if (time !== undefined) {
      this.freshness.restore(reading.meter_id, time);
      this.options.clockCheck?.restore(reading.meter_id, time);
    }
    if (reading.frame) this.counters.restore(reading.frame.system_title, reading.frame.frame_counter);
  }

  /** End of a finite input. */
  end(): void {
    this.splitter.end();
  }

  /** Writes the summaries of open bursts (on stop). */
  flushLogs(): void {
    this.burst.flush();
  }

  private onSkip(skip: SkipEvent): void {
    this.options.monitor.skipped(skip.bytes);
    this.burst.warn(`skip_${skip.reason}`, { reason: skip.reason, bytes: skip.bytes }, "bytes skipped");
  }

  private onFrame(frame: SplitFrame): void {
    const monitor = this.options.monitor;
    monitor.frameSeen();
    let reading: Reading;
    try {
      reading = decodeFrame(frame, this.options.decoder).reading;
    } catch (err) {
      // A plaintext candidate that fails its CRC or does not parse is a damaged telegram, counted as such; only a
      // valid one below is an attempt to pass a telegram without the key.
      this.rejected(frame, err);
      return;
    }
    if (frame.kind === "plaintext" && this.plaintextRefused()) {
      monitor.plaintextRejected();
      this.burst.warn(
        "plaintext_rejected",
        { kind: frame.kind, bytes: frame.bytes.length },
        "plaintext frame rejected: a P1 key is configured",
      );
      return;
    }
    if (frame.kind === "plaintext" && !this.sawPlaintext) {
      this.sawPlaintext = true;
      this.log.info({ meter_id: reading.meter_id }, "plaintext telegrams: this meter sends unencrypted DSMR");
    }
    if (reading.frame && !this.counterOk(reading.frame.system_title, reading.frame.frame_counter)) return;
    const time = readingTimeMs(reading);
    if (time !== undefined) {
      if (!this.freshness.isNewer(reading.meter_id, time)) {
        monitor.counters.stale_readings++;
        monitor.frameAuthentic();
        this.burst.warn(
          "stale",
          { meter_id: reading.meter_id, time: reading.time },
          "reading not newer than the last published one: not published",
        );
        return;
      }
      const verdict = this.options.clockCheck?.check(reading.meter_id, time);
      if (verdict !== undefined && !verdict.ok) {
        monitor.clockSuspect();
        this.burst.warn(
          "clock_suspect",
          { meter_id: reading.meter_id, time: reading.time, reason: verdict.reason, offset_ms: verdict.offsetMs },
          "meter time far from this host's clocks: reading not published",
        );
        return;
      }
      this.freshness.accept(reading.meter_id, time);
      this.options.clockCheck?.accept(reading.meter_id, time);
    }
    monitor.frameOk(reading.meter_id);
    this.options.onReading(reading);
  }

  private counterOk(systemTitle: string, counter: number): boolean {
    const monitor = this.options.monitor;
    const verdict = this.counters.check(systemTitle, counter);
    switch (verdict.kind) {
      case "first":
        this.log.info({ system_title: systemTitle, frame_counter: counter }, "first frame from meter");
        return true;
      case "next":
        if (verdict.missed > 0) {
          monitor.counters.missed_frames += verdict.missed;
          this.burst.warn("missed", { system_title: systemTitle, missed: verdict.missed }, "frames missed");
        }
        return true;
      case "replay":
        monitor.counters.replays++;
        monitor.frameAuthentic();
        this.burst.warn(
          "replay",
          { system_title: systemTitle, frame_counter: counter, last_frame_counter: verdict.last },
          "replayed or repeated frame rejected",
        );
        return false;
      case "meter_change":
        monitor.counters.meter_changes++;
        this.log.warn(
          {
            system_title: systemTitle,
            frame_counter: counter,
            reason: verdict.reason,
            last_frame_counter: verdict.last,
          },
          "meter change",
        );
        return true;
    }
  }

  /**
   * A Smarty meter encrypts and authenticates every frame (Luxmetering P1 spec v1.1.3 §3.3, AES-128-GCM). With a key
   * configured, a plaintext telegram cannot come from that meter: its CRC (DSMR 5.0.2 §6.2) is no signature, and a
   * telegram without a version line carries none at all. So anyone able to write to the source could inject readings.
   */
  private plaintextRefused(): boolean {
    return this.options.allowPlaintext !== true && hasP1Key(this.options.decoder);
  }

  private rejected(frame: SplitFrame, err: unknown): void {
    const monitor = this.options.monitor;
    const e = toP1Error(err);
    const fields = { reason: e.reason, kind: frame.kind, bytes: frame.bytes.length, error: e.message };
    switch (e.reason) {
      case "authentication": {
        const noKey =
          frame.kind === "encrypted" &&
          keyForSystemTitle(frameSystemTitle(frame.bytes), this.options.decoder) === undefined;
        monitor.authenticationFailed(noKey);
        this.burst.warn("authentication", fields, "frame failed authentication");
        break;
      }
      case "crc":
        monitor.crcFailed();
        this.burst.warn("crc", fields, "frame failed the CRC check");
        break;
      case "format":
      case "parse":
        monitor.formatError();
        this.burst.warn("format", fields, "frame has a bad format");
        break;
    }
  }
}
