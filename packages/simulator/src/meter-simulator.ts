/**
 * A seeded model of a Luxembourg Smarty meter (Lux5 header, P1 version 42, Luxmetering P1 spec v1.1.3 §4): one
 * `next()` per telegram, time = start + n × interval, frame counter + 1 per frame. Pure: no timers, no I/O, no
 * clock; the same options give byte-identical telegrams and frames.
 *
 * Energy: the power written in frame n is held over the interval that ends at frame n, and every register adds
 * power × Δt exactly (see EnergyRegister), so integrating the telegram's powers reproduces the registers to the
 * displayed Wh. The true (unrounded) values of every frame are in `truth`, and in `truthLog` when recorded.
 */
import { encodeTelegram, encryptTelegram, type TelegramSpec } from "@smarty/p1";
import { type DayPlan, dayPlan, type LocalTime, localTime } from "./day-plan.js";
import { EnergyRegister } from "./energy-register.js";
import { flowsAt, type Installation, type Profile } from "./load-model.js";
import { buildSpec, type Instant, type MeterIdentity, sum, type Triple, triple } from "./meter-state.js";
import { mixSeed, Prng } from "./prng.js";
import { type TruthRecord, truthRecord } from "./truth.js";

export interface MeterSimulatorOptions {
  readonly seed: number;
  readonly profile?: Profile;
  /** Time of the first telegram, ms since epoch (whole seconds are written). */
  readonly start: number;
  /** Default 10 000 ms, the Smarty P1 period. */
  readonly intervalMs?: number;
  /** Default `SAG1030700012701`. */
  readonly meterId?: string;
  /** 8 bytes; default `SAG` followed by five BCD bytes of the meter id's digits. */
  readonly systemTitle?: Uint8Array;
  /** P1 key: when given, every frame is also encrypted. */
  readonly key?: Uint8Array;
  /** AAD authentication key; the Smarty default when omitted. */
  readonly authenticationKey?: Uint8Array;
  /** Frame counter of the first frame; drawn from the seed when omitted. */
  readonly frameCounterStart?: number;
  /** Identification line without `/`; default `Lux5\253663629_D`. */
  readonly header?: string;
  /** Mean voltage sags per day (default 2; real meters see far fewer, tests want some). */
  readonly sagsPerDay?: number;
  /** Mean long messages per day, each shown 15–60 minutes (default 1). */
  readonly longMessagesPerDay?: number;
  /** Keep every frame's TruthRecord in `truthLog` (default false: memory grows with the run). */
  readonly recordTruth?: boolean;
  /**
   * A past stretch before `start`, sampled more coarsely: the first telegrams run from `start − durationMs`
   * (rounded up to whole `intervalMs`) every `intervalMs` until before `start`, then every `intervalMs` of the
   * options. Registers and the frame counter continue across, so a demo can show a week of history in minutes.
   */
  readonly history?: { readonly durationMs: number; readonly intervalMs: number };
}

export interface SimulatedFrame {
  /** 0-based frame number. */
  readonly index: number;
  /** Telegram time, ms since epoch. */
  readonly time: number;
  readonly frameCounter: number;
  readonly spec: TelegramSpec;
  /** Plaintext telegram with CRC. */
  readonly telegram: string;
  /** Encrypted frame, when a key was given. */
  readonly frame?: Buffer;
  /** True register values and events of this frame. */
  readonly truth: TruthRecord;
}

export const DEFAULT_METER_ID = "SAG1030700012701";
export const DEFAULT_HEADER = "Lux5\\253663629_D";
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const LONG_MESSAGES = [
  "Planned maintenance on your connection tomorrow from 08:00 to 10:00",
  "Your monthly consumption report is available in your customer portal",
  "Test message from your grid operator, no action needed",
  "Smarty P1 port: firmware update scheduled tonight",
] as const;

/** `SAG` + five BCD bytes of the first ten digits of the meter id. */
export function defaultSystemTitle(meterId: string): Buffer {
  const digits = meterId.replace(/\D/g, "").padEnd(10, "0").slice(0, 10);
  return Buffer.concat([Buffer.from("SAG", "latin1"), Buffer.from(digits, "hex")]);
}

export class MeterSimulator {
  readonly intervalMs: number;
  readonly systemTitle: Buffer;
  readonly identity: MeterIdentity;
  readonly installation: Installation;
  private readonly start: number;
  /** Telegrams of the history stretch, before `start`. */
  readonly historyFrames: number;
  private readonly historyIntervalMs: number;
  private readonly rng: Prng;
  private readonly truths: TruthRecord[] = [];
  private index = 0;
  private readonly frameCounterStart: number;
  private readonly reg: Record<"imp" | "exp" | "qImp" | "qExp" | "gas", EnergyRegister>;
  private readonly sags: [number, number, number];
  private readonly powerFailures: number;
  private plan: { day: number; plan: DayPlan } | undefined;
  private misc: Triple = [60, 60, 60];
  private gridDrift = 0;
  private cloud = 1;
  private message: { text: string; until: number } | undefined;
  private gasCapture: { litres: number; time: number };

  constructor(private readonly options: MeterSimulatorOptions) {
    this.intervalMs = options.intervalMs ?? 10_000;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs < 1) throw new RangeError("intervalMs must be ≥ 1");
    this.start = Math.floor(options.start / 1000) * 1000;
    const h = options.history;
    this.historyIntervalMs = h?.intervalMs ?? this.intervalMs;
    if (!Number.isInteger(this.historyIntervalMs) || this.historyIntervalMs < 1)
      throw new RangeError("history intervalMs must be ≥ 1");
    this.historyFrames = h ? Math.ceil(Math.max(0, h.durationMs) / this.historyIntervalMs) : 0;
    const profile = options.profile ?? "household";
    const meterId = options.meterId ?? DEFAULT_METER_ID;
    this.systemTitle = Buffer.from(options.systemTitle ?? defaultSystemTitle(meterId));
    if (this.systemTitle.length !== 8) throw new RangeError("systemTitle must be 8 bytes");
    const setup = new Prng(mixSeed(options.seed, 1));
    this.installation = {
      profile,
      pvPeakW: profile === "pv" ? setup.int(40, 90) * 100 : 0,
      gasHeating: profile !== "three-phase",
    };
    this.identity = {
      header: options.header ?? DEFAULT_HEADER,
      meterId,
      currentLimitA: profile === "three-phase" ? 63 : 40,
      gasEquipmentId: `FLO18${String(setup.int(0, 9_999_999_999)).padStart(10, "0")}`,
    };
    const pv = profile === "pv";
    this.reg = {
      imp: new EnergyRegister(setup.int(2_000_000, 30_000_000), setup.int(0, HOUR_MS - 1)),
      exp: new EnergyRegister(pv ? setup.int(500_000, 15_000_000) : setup.int(0, 200), setup.int(0, HOUR_MS - 1)),
      qImp: new EnergyRegister(setup.int(200_000, 3_000_000), setup.int(0, HOUR_MS - 1)),
      qExp: new EnergyRegister(pv ? setup.int(100_000, 8_000_000) : setup.int(5_000, 200_000), 0),
      gas: new EnergyRegister(setup.int(500_000, 15_000_000), setup.int(0, HOUR_MS - 1)),
    };
    this.powerFailures = setup.int(3, 40);
    this.sags = [setup.int(0, 20), setup.int(0, 20), setup.int(0, 20)];
    this.frameCounterStart = options.frameCounterStart ?? setup.int(0x10000, 0xffffff);
    this.rng = new Prng(mixSeed(options.seed, 2));
    this.gasCapture = { litres: this.reg.gas.wholeUnits, time: Math.floor(this.timeOf(0) / HOUR_MS) * HOUR_MS };
  }

  /** Every TruthRecord so far, when `recordTruth` is set (otherwise empty). */
  get truthLog(): readonly TruthRecord[] {
    return this.truths;
  }

  /** Number of frames produced so far. */
  get count(): number {
    return this.index;
  }

  /** Time of the next telegram. */
  get nextTime(): number {
    return this.timeOf(this.index);
  }

  /** Time of telegram `index`: the history stretch first, then start + n × interval. */
  private timeOf(index: number): number {
    if (index < this.historyFrames) return this.start - (this.historyFrames - index) * this.historyIntervalMs;
    return this.start + (index - this.historyFrames) * this.intervalMs;
  }

  /** Produces the next telegram (and frame, with a key). */
  next(): SimulatedFrame {
    const index = this.index++;
    const time = this.timeOf(index);
    const dt = index === 0 ? 0 : time - this.timeOf(index - 1);
    const local = localTime(time);
    const plan = this.planFor(local);
    const flows = flowsAt(this.installation, plan, local, time);
    const inst = this.instant(plan, local, flows.load, flows.pvClearW, dt);
    this.reg.imp.add(sum(inst.importW), dt);
    this.reg.exp.add(sum(inst.exportW), dt);
    this.reg.qImp.add(sum(inst.reactiveImportVar), dt);
    this.reg.qExp.add(sum(inst.reactiveExportVar), dt);
    const gasLph = Math.round(flows.gasLph);
    this.addGas(gasLph, time - dt, time);
    const longMessage = this.longMessage(time, dt);
    const frameCounter = (this.frameCounterStart + index) >>> 0;
    const spec = buildSpec(
      this.identity,
      time,
      inst,
      {
        energyImportKwh: this.reg.imp.displayed,
        energyExportKwh: this.reg.exp.displayed,
        reactiveImportKvarh: this.reg.qImp.displayed,
        reactiveExportKvarh: this.reg.qExp.displayed,
        powerFailures: this.powerFailures,
        sags: [...this.sags],
        swells: [0, 0, 0],
        longMessage,
      },
      this.gasCapture,
    );
    const telegram = encodeTelegram(spec);
    const truth = truthRecord({ index, time, frameCounter, dt, inst, reg: this.reg, gasLph, spec, longMessage });
    if (this.options.recordTruth) this.truths.push(truth);
    const frame = this.options.key
      ? encryptTelegram(telegram, {
          key: this.options.key,
          systemTitle: this.systemTitle,
          frameCounter,
          ...(this.options.authenticationKey ? { authenticationKey: this.options.authenticationKey } : {}),
        })
      : undefined;
    return { index, time, frameCounter, spec, telegram, ...(frame ? { frame } : {}), truth };
  }

  private planFor(local: LocalTime): DayPlan {
    if (this.plan?.day !== local.dayNumber) {
      this.plan = { day: local.dayNumber, plan: dayPlan(this.options.seed, local) };
    }
    return this.plan.plan;
  }

  /** Noise, clouds, grid voltage and events on top of the appliance flows, quantized as the meter writes. */
  private instant(
    plan: DayPlan,
    local: LocalTime,
    load: { p: Triple; q: Triple },
    pvClearW: number,
    dt: number,
  ): Instant {
    const rng = this.rng;
    // Small unmodelled loads (chargers, laptops, router) wander around 60 W per phase.
    this.misc = triple((i) =>
      Math.max(0, Math.min(400, this.misc[i] + (60 - this.misc[i]) * 0.05 + rng.normal(0, 12))),
    );
    this.cloud = Math.max(0.05, Math.min(1, this.cloud + (plan.clearness - this.cloud) * 0.1));
    this.cloud = Math.max(0.05, Math.min(1, this.cloud + rng.normal(0, plan.cloudVolatility)));
    const pvPhase = (pvClearW * this.cloud) / 3;
    this.gridDrift = Math.max(-6, Math.min(6, this.gridDrift * 0.98 + rng.normal(0, 0.15)));
    // Evening peak pulls the grid down, midday PV in the neighbourhood pushes it up.
    const m = local.minuteOfDay;
    const diurnal = -2.5 * Math.exp(-(((m - 1140) / 90) ** 2)) + 1.5 * Math.exp(-(((m - 780) / 150) ** 2));
    const sagPhase = dt > 0 && rng.chance(((this.options.sagsPerDay ?? 2) * dt) / DAY_MS) ? rng.int(0, 2) : -1;
    const p = triple((i) => Math.round(load.p[i] * (1 + rng.normal(0, 0.02)) + this.misc[i] - pvPhase));
    // PV inverters in Luxembourg run slightly capacitive when exporting (meterlogger vector: Q− ≈ 0.17 P−).
    const q = triple((i) => Math.round(load.q[i] * (1 + rng.normal(0, 0.02)) + this.misc[i] * 0.3 - 0.17 * pvPhase));
    const voltageV = triple((i) => {
      // Line resistance of about 0.3 Ω: importing pulls the phase voltage down, exporting pushes it up.
      const v = 230 + this.gridDrift + diurnal + plan.voltageOffset[i] - (0.3 * p[i]) / 230 + rng.normal(0, 0.4);
      if (i !== sagPhase) return Math.round(v);
      this.sags[i]++;
      return rng.int(185, 205);
    });
    return {
      importW: triple((i) => Math.max(0, p[i])),
      exportW: triple((i) => Math.max(0, -p[i])),
      reactiveImportVar: triple((i) => Math.max(0, q[i])),
      reactiveExportVar: triple((i) => Math.max(0, -q[i])),
      apparentVa: triple((i) => Math.round(Math.hypot(p[i], q[i]))),
      voltageV,
      // Lux meters write whole amperes: |P| / V, rounded.
      currentA: triple((i) => Math.round(Math.abs(p[i]) / voltageV[i])),
    };
  }

  /** Integrates gas over (from, to], capturing the index at each full hour as the M-Bus meter does. */
  private addGas(lph: number, from: number, to: number): void {
    let t = from;
    for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS; hour <= to; hour += HOUR_MS) {
      this.reg.gas.add(lph, hour - t);
      this.gasCapture = { litres: this.reg.gas.wholeUnits, time: hour };
      t = hour;
    }
    this.reg.gas.add(lph, to - t);
  }

  private longMessage(time: number, dt: number): string {
    if (this.message && time >= this.message.until) this.message = undefined;
    if (!this.message && dt > 0 && this.rng.chance(((this.options.longMessagesPerDay ?? 1) * dt) / DAY_MS)) {
      this.message = { text: this.rng.pick(LONG_MESSAGES), until: time + this.rng.int(15, 60) * 60_000 };
    }
    return this.message?.text ?? "";
  }
}
