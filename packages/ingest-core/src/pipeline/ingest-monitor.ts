/**
 * Counters and the plain-words state of the ingest: what the health topic, `/healthz` and `smarty doctor` report.
 * The state names the most likely cause, because the user cannot see the wire: a run of authentication failures
 * is a wrong key; bytes without any frame for 30 s is the classic cable mistake (P1 is an inverted, open-collector
 * signal, DSMR 5.0.2 §4.2, and a cable without inverter or a wrong baud rate delivers only junk).
 */
import { EventEmitter } from "node:events";
import type { IngestHealth, IngestState } from "@smarty/contracts";
import type { Clock, Logger, TimerHandle } from "@smarty/service-kit";

export const HINTS = {
  no_data: "no bytes from the source: check the cable, the P1 port and SMARTY_SOURCE",
  no_frames: "bytes arrive but no frame start: signal probably not inverted / wrong baud rate (Smarty: 115200 8N1)",
  wrong_key: "authentication fails for every frame: the P1 key (SMARTY_KEY) is probably wrong",
  no_key: "the meter sends encrypted frames but no P1 key is configured (SMARTY_KEY)",
  errors: "frames fail the CRC or format checks: bad cable or unsupported meter",
  clock:
    "meter time is more than INGEST_CLOCK_TOLERANCE away from this host's clock and from the last accepted reading: " +
    "check the host's time (NTP) and the meter's; these readings are not published",
  plaintext:
    "unencrypted frames arrive while a P1 key is set and are rejected: someone may be injecting telegrams; " +
    "for a meter that really sends plaintext (outside Luxembourg) set SMARTY_ALLOW_PLAINTEXT=true",
  disconnected: "the source is closed and being reopened",
  ended: "end of the input reached",
} as const;

export interface Counters {
  frames_ok: number;
  authentication_failures: number;
  crc_failures: number;
  format_errors: number;
  replays: number;
  missed_frames: number;
  meter_changes: number;
  stale_readings: number;
  /** Plaintext frames rejected because a P1 key is configured (possible injection). */
  plaintext_rejected: number;
  /** Readings not published because their meter time is far from the host's clocks. */
  clock_suspect_readings: number;
  bytes: number;
  skipped_bytes: number;
}

export interface MonitorOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Consecutive authentication (or CRC/format) failures before the state says so. */
  readonly failureRun?: number;
  /** Time without a complete frame before `no_frames` / `no_data`. */
  readonly noFramesTimeoutMs?: number;
}

export class IngestMonitor extends EventEmitter<{ change: [IngestState] }> {
  readonly counters: Counters = {
    frames_ok: 0,
    authentication_failures: 0,
    crc_failures: 0,
    format_errors: 0,
    replays: 0,
    missed_frames: 0,
    meter_changes: 0,
    stale_readings: 0,
    plaintext_rejected: 0,
    clock_suspect_readings: 0,
    bytes: 0,
    skipped_bytes: 0,
  };
  readonly meters = new Set<string>();
  lastFrameOkAt: number | undefined;
  private state: IngestState = "starting";
  private hint: string | undefined;
  private sourceOpen = false;
  private everOpened = false;
  private ended = false;
  private openedAt = 0;
  /** Last complete frame from the splitter, good or bad. */
  private lastFrameAt = 0;
  private bytesSinceFrame = 0;
  private authRun = 0;
  private noKeyRun = 0;
  private errorRun = 0;
  private plaintextRun = 0;
  private clockRun = 0;
  private timer: TimerHandle | undefined;
  private readonly log: Logger;
  private readonly run: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: MonitorOptions) {
    super();
    this.log = options.logger.child({ component: "monitor" });
    this.run = options.failureRun ?? 3;
    this.timeoutMs = options.noFramesTimeoutMs ?? 30_000;
  }

  get currentState(): IngestState {
    return this.state;
  }

  get currentHint(): string | undefined {
    return this.hint;
  }

  /** Starts the periodic re-evaluation (time alone moves the state to no_frames / no_data). */
  start(): void {
    const every = Math.max(100, Math.min(1000, Math.floor(this.timeoutMs / 10)));
    this.timer = this.options.clock.setInterval(() => this.evaluate(), every);
  }

  stop(): void {
    if (this.timer !== undefined) this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
  }

  sourceOpened(): void {
    this.sourceOpen = true;
    this.everOpened = true;
    this.ended = false;
    this.openedAt = this.options.clock.now();
    this.bytesSinceFrame = 0;
    this.evaluate();
  }

  sourceLost(): void {
    this.sourceOpen = false;
    this.evaluate();
  }

  sourceEnded(): void {
    this.sourceOpen = false;
    this.ended = true;
    this.evaluate();
  }

  bytes(n: number): void {
    this.counters.bytes += n;
    this.bytesSinceFrame += n;
  }

  skipped(n: number): void {
    this.counters.skipped_bytes += n;
  }

  /** A complete frame came out of the splitter (whatever happens to it next). */
  frameSeen(): void {
    this.lastFrameAt = this.options.clock.now();
    this.bytesSinceFrame = 0;
  }

  frameOk(meterId: string): void {
    this.counters.frames_ok++;
    this.meters.add(meterId);
    this.lastFrameOkAt = this.options.clock.now();
    this.authRun = this.noKeyRun = this.errorRun = this.plaintextRun = this.clockRun = 0;
    this.evaluate();
  }

  /** A frame that decoded but was not published (replay, stale): proves key and cable are fine. */
  frameAuthentic(): void {
    this.authRun = this.noKeyRun = this.errorRun = this.plaintextRun = 0;
    this.evaluate();
  }

  authenticationFailed(noKey: boolean): void {
    this.counters.authentication_failures++;
    this.authRun++;
    this.noKeyRun = noKey ? this.noKeyRun + 1 : 0;
    this.evaluate();
  }

  /** An authentic reading whose meter time no clock of this host vouches for. */
  clockSuspect(): void {
    this.counters.clock_suspect_readings++;
    this.clockRun++;
    this.authRun = this.noKeyRun = this.errorRun = this.plaintextRun = 0;
    this.evaluate();
  }

  /** A plaintext frame refused because a key is configured: not a cable fault, a policy (or an attack). */
  plaintextRejected(): void {
    this.counters.plaintext_rejected++;
    this.plaintextRun++;
    this.evaluate();
  }

  crcFailed(): void {
    this.counters.crc_failures++;
    this.errorRun++;
    this.evaluate();
  }

  formatError(): void {
    this.counters.format_errors++;
    this.errorRun++;
    this.evaluate();
  }

  /** Recomputes the state; emits `change` and logs the hint once per transition. */
  evaluate(): void {
    const [state, hint] = this.compute();
    if (state === this.state && hint === this.hint) return;
    const previous = this.state;
    this.state = state;
    this.hint = hint;
    this.logTransition(previous);
    this.emit("change", state);
  }

  private compute(): [IngestState, string | undefined] {
    if (!this.sourceOpen) {
      if (this.ended) return ["no_data", HINTS.ended];
      return this.everOpened ? ["disconnected", HINTS.disconnected] : ["starting", undefined];
    }
    if (this.noKeyRun >= this.run) return ["wrong_key", HINTS.no_key];
    if (this.authRun >= this.run) return ["wrong_key", HINTS.wrong_key];
    const since = Math.max(this.lastFrameAt, this.openedAt);
    if (this.options.clock.now() - since >= this.timeoutMs) {
      return this.bytesSinceFrame > 0 ? ["no_frames", HINTS.no_frames] : ["no_data", HINTS.no_data];
    }
    if (this.plaintextRun >= this.run) return ["errors", HINTS.plaintext];
    if (this.clockRun >= this.run) return ["errors", HINTS.clock];
    if (this.errorRun >= this.run) return ["errors", HINTS.errors];
    return this.counters.frames_ok > 0 ? ["ok", undefined] : ["starting", undefined];
  }

  private logTransition(previous: IngestState): void {
    const fields = { state: this.state, previous, hint: this.hint };
    switch (this.state) {
      case "wrong_key":
        this.log.error(
          { ...fields, authentication_failures: this.counters.authentication_failures },
          "P1 key is probably wrong: authentication keeps failing",
        );
        break;
      case "no_frames":
        this.log.error(
          { ...fields, bytes: this.bytesSinceFrame },
          "no P1 frame in the bytes: signal probably not inverted or wrong baud rate",
        );
        break;
      case "no_data":
      case "errors":
        this.log.warn(fields, "ingest state changed");
        break;
      default:
        this.log.info(fields, "ingest state changed");
    }
  }

  /** The health payload (contract: ingestHealthSchema); queue figures and reconnects come from their owners. */
  snapshot(extra: {
    instance: string;
    source: string;
    startedAt: number;
    reconnects: number;
    queueLength: number;
    dropped: number;
  }): IngestHealth {
    const now = this.options.clock.now();
    return {
      instance: extra.instance,
      state: this.state,
      ...(this.hint ? { hint: this.hint } : {}),
      source: extra.source,
      started_at: new Date(extra.startedAt).toISOString(),
      updated_at: new Date(now).toISOString(),
      last_frame_at: this.lastFrameOkAt === undefined ? null : new Date(this.lastFrameOkAt).toISOString(),
      ...this.counters,
      reconnects: extra.reconnects,
      queue_length: extra.queueLength,
      dropped_readings: extra.dropped,
      meters: [...this.meters].sort(),
    };
  }
}
