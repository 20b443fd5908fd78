/**
 * One simulated meter and everything the soak knows about its frames: the simulator's truth (exact registers per
 * frame), what was done with each frame, and what came back as a reading. Frames are encrypted here with the
 * meter's key, so a fault can re-encrypt a frame under another key or with a broken CRC.
 *
 * Fate of a frame, decided when it is written:
 *  - `sent`: written whole to a connected source while its ingest ran → must become exactly one reading;
 *  - `uncertain`: written while the path was coming back (at most PROBE_FRAMES per fault after a drop, unplug or
 *    restart) or in flight when a fault struck (ingest killed or stopped, bridge dropped, cable pulled, broker
 *    killed) → at most one reading; each carries the id of the fault that may lose it (`causeOf`);
 *  - `lost`: not written (bridge without client, cable pulled, ingest down) → no reading;
 *  - `corrupt`: destroyed or forged on purpose (flipped byte, bad CRC, cut short, wrong key, meter time years
 *    ahead) → no reading, counted by ingest.
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
  /** Fault id that made a frame uncertain (-1: none). */
  private readonly cause: Int32Array;
  /** Sag counters L1–L3 per frame (3 entries a frame), as the telegram shows them. */
  readonly sags: Int32Array;
  readonly powerFailures: Int32Array;
  /** The grid operator's long message per frame (0-0:96.13.0). */
  readonly messages: string[] = [];
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
    this.cause = new Int32Array(o.frames).fill(-1);
    this.sags = new Int32Array(o.frames * 3);
    this.powerFailures = new Int32Array(o.frames);
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
    f.truth.voltage_sags.forEach((n, p) => {
      this.sags[i * 3 + p] = n;
    });
    this.powerFailures[i] = Number(f.spec.values.power_failures ?? 0);
    this.messages[i] = f.truth.long_message;
    return f;
  }

  encrypt(f: SimulatedFrame, key: Buffer = this.o.key, telegram: string = f.telegram): Buffer {
    return encryptTelegram(telegram, { key, systemTitle: this.sim.systemTitle, frameCounter: f.frameCounter });
  }

  fateOf(i: number): Fate | undefined {
    return FATES[(this.fate[i] ?? 0) - 1];
  }

  /** The fault that may lose an uncertain frame, or -1. */
  causeOf(i: number): number {
    return this.cause[i] ?? -1;
  }

  /** Records the fate (and for an uncertain frame the fault that may lose it) and writes the bytes. */
  async write(i: number, bytes: Buffer, fate: Fate, cause = -1): Promise<void> {
    this.fate[i] = FATE_CODE[fate];
    if (fate === "uncertain") this.cause[i] = cause;
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

  /** Frames sent whose reading has not come back yet. */
  inFlight(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.produced; i++) {
      if (this.fate[i] === FATE_CODE.sent && this.received[i] === 0) out.push(i);
    }
    return out;
  }

  /**
   * A fault struck with frames in flight (ingest killed or stopped, bridge dropped, cable pulled, broker killed):
   * they may or may not become readings. Returns how many were marked, each with the fault's id.
   */
  inFlightBecomeUncertain(cause: number): number {
    const frames = this.inFlight();
    for (const i of frames) {
      this.fate[i] = FATE_CODE.uncertain;
      this.cause[i] = cause;
      this.pendingSent--;
    }
    return frames.length;
  }

  /** Every uncertain frame with its fault and whether it became a reading. */
  uncertainFrames(): { index: number; cause: number; delivered: boolean }[] {
    const out: { index: number; cause: number; delivered: boolean }[] = [];
    for (let i = 0; i < this.produced; i++) {
      if (this.fate[i] === FATE_CODE.uncertain) {
        out.push({ index: i, cause: this.cause[i] ?? -1, delivered: (this.received[i] ?? 0) > 0 });
      }
    }
    return out;
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
