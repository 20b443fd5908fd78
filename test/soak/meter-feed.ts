/**
 * One simulated meter and everything the soak knows about its frames: the simulator's truth (exact registers per
 * frame), what was done with each frame, and what came back as a reading. Frames are encrypted here with the
 * meter's key, so a fault can re-encrypt a frame under another key or with a broken CRC.
 *
 * Fate of a frame, decided when it is written:
 *  - `sent`: written whole to a connected source while its ingest ran → must become exactly one reading;
 *  - `uncertain`: written while the path was coming back (probe after a drop, unplug or restart) or in flight when
 *    the ingest was SIGKILLed → at most one reading;
 *  - `lost`: not written (bridge without client, cable pulled, ingest down) → no reading;
 *  - `corrupt`: destroyed on purpose (flipped byte, bad CRC, cut short, wrong key) → no reading, counted by ingest.
 */
import { encryptTelegram } from "@smarty/p1";
import { MeterSimulator, type SimulatedFrame } from "@smarty/simulator";

export const FATES = ["sent", "uncertain", "lost", "corrupt"] as const;
export type Fate = (typeof FATES)[number];
const FATE_CODE: Readonly<Record<Fate, number>> = { sent: 1, uncertain: 2, lost: 3, corrupt: 4 };

/** Where the meter's bytes go: a TCP bridge or a serial pty. */
export interface BytePath {
  readonly kind: "tcp" | "serial";
  /** True when written bytes reach a reader (a client connected / the cable plugged in). */
  connected(): boolean;
  write(bytes: Buffer): Promise<void>;
}

export interface MeterFeedOptions {
  readonly index: number;
  readonly seed: number;
  readonly meterId: string;
  readonly start: number;
  readonly intervalMs: number;
  readonly frames: number;
  readonly key: Buffer;
  readonly path: BytePath;
}

export class MeterFeed {
  readonly sim: MeterSimulator;
  readonly meterId: string;
  readonly frames: number;
  readonly fcStart: number;
  readonly time: Float64Array;
  readonly importKwh: Float64Array;
  readonly exportKwh: Float64Array;
  private readonly fate: Uint8Array;
  readonly received: Uint16Array;
  private readonly writtenAt: Float64Array;
  readonly latencies: number[] = [];
  /** Readings of frames that were not `sent`/`uncertain`, or of unknown counters. */
  readonly unexpected: string[] = [];
  pendingSent = 0;
  /** Readings the broker delivered again to the observer with the DUP flag (see onReading). */
  redeliveries = 0;
  /** Second and later readings of a frame, with the MQTT DUP flag of their delivery. */
  readonly duplicates: { index: number; redelivered: boolean; at: number }[] = [];
  private produced = 0;
  private lastReceived = -1;
  /** Bytes of the last frames written, for a replay. */
  readonly written = new Map<number, Buffer>();

  constructor(readonly o: MeterFeedOptions) {
    this.meterId = o.meterId;
    this.frames = o.frames;
    this.sim = new MeterSimulator({ seed: o.seed, start: o.start, intervalMs: o.intervalMs, meterId: o.meterId });
    this.fcStart = this.sim.next().frameCounter;
    // Re-create: the probe above consumed frame 0.
    this.sim = new MeterSimulator({ seed: o.seed, start: o.start, intervalMs: o.intervalMs, meterId: o.meterId });
    this.time = new Float64Array(o.frames);
    this.importKwh = new Float64Array(o.frames);
    this.exportKwh = new Float64Array(o.frames);
    this.fate = new Uint8Array(o.frames);
    this.received = new Uint16Array(o.frames);
    this.writtenAt = new Float64Array(o.frames);
  }

  get path(): BytePath {
    return this.o.path;
  }

  /** The next simulated frame, with its truth recorded. */
  next(): SimulatedFrame {
    const f = this.sim.next();
    const i = this.produced++;
    this.time[i] = f.time;
    this.importKwh[i] = f.truth.energy_import_kwh;
    this.exportKwh[i] = f.truth.energy_export_kwh;
    return f;
  }

  encrypt(f: SimulatedFrame, key: Buffer = this.o.key, telegram: string = f.telegram): Buffer {
    return encryptTelegram(telegram, { key, systemTitle: this.sim.systemTitle, frameCounter: f.frameCounter });
  }

  fateOf(i: number): Fate | undefined {
    return FATES[(this.fate[i] ?? 0) - 1];
  }

  /** Records the fate and writes the bytes when the path is connected. */
  async write(i: number, bytes: Buffer, fate: Fate): Promise<void> {
    this.fate[i] = FATE_CODE[fate];
    if (fate === "lost") return;
    this.writtenAt[i] = performance.now();
    if (fate === "sent") this.pendingSent++;
    this.written.set(i, bytes);
    this.written.delete(i - 16);
    await this.o.path.write(bytes);
  }

  /** Marks a frame destroyed by a fault (its bytes, if any, are written by the caller). */
  markCorrupt(i: number): void {
    this.fate[i] = FATE_CODE.corrupt;
  }

  /** A SIGKILL: frames sent but not yet confirmed may or may not have been published. */
  inFlightBecomeUncertain(): void {
    for (let i = this.lastReceived + 1; i < this.produced; i++) {
      if (this.fate[i] === FATE_CODE.sent && this.received[i] === 0) {
        this.fate[i] = FATE_CODE.uncertain;
        this.pendingSent--;
      }
    }
  }

  /** A reading came back with this frame counter. */
  onReading(frameCounter: number, redelivered = false): void {
    const i = frameCounter - this.fcStart;
    if (i < 0 || i >= this.produced) {
      this.unexpected.push(`frame counter ${frameCounter} was never produced`);
      return;
    }
    if (redelivered && (this.received[i] ?? 0) > 0) {
      // MQTT 3.1.1 §4.3.2: the broker re-sent a QoS 1 message whose PUBACK from this observer it never saw (it was
      // restarted in between). The same publication delivered twice to the observer, not a second reading.
      this.redeliveries++;
      return;
    }
    this.received[i] = (this.received[i] ?? 0) + 1;
    if ((this.received[i] ?? 0) > 1) {
      this.duplicates.push({ index: i, redelivered, at: Date.now() });
    }
    this.lastReceived = Math.max(this.lastReceived, i);
    const fate = this.fateOf(i);
    if (this.received[i] === 1 && fate === "sent") {
      this.pendingSent--;
      this.latencies.push(performance.now() - (this.writtenAt[i] ?? 0));
    }
    if (fate !== "sent" && fate !== "uncertain") this.unexpected.push(`frame ${i} (${fate}) became a reading`);
  }

  isReceived(i: number): boolean {
    return (this.received[i] ?? 0) > 0;
  }

  /** Frame counts by fate, and how the readings matched them. */
  tally(): Record<Fate, number> & {
    delivered: number;
    losses: number;
    duplicates: number;
    uncertainDelivered: number;
  } {
    const t = {
      sent: 0,
      uncertain: 0,
      lost: 0,
      corrupt: 0,
      delivered: 0,
      losses: 0,
      duplicates: 0,
      uncertainDelivered: 0,
    };
    for (let i = 0; i < this.produced; i++) {
      const fate = this.fateOf(i);
      if (!fate) continue;
      t[fate]++;
      const n = this.received[i] ?? 0;
      if (n > 1) t.duplicates += n - 1;
      if (fate === "sent") {
        if (n === 0) t.losses++;
        else t.delivered++;
      }
      if (fate === "uncertain" && n > 0) t.uncertainDelivered++;
    }
    return t;
  }

  /** Indices of frames that became a reading (what the pipeline saw), in order. */
  deliveredIndices(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.produced; i++) if ((this.received[i] ?? 0) > 0) out.push(i);
    return out;
  }
}
