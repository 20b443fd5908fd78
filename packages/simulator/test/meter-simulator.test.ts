import { createDecipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MeterSimulator, type MeterSimulatorOptions, PROFILES, type SimulatedFrame } from "../src/index.js";
import { wireFields, wireNumber, wireWatts } from "./telegram-text.js";

const KEY = Buffer.from("000102030405060708090A0B0C0D0E0F", "hex");
const SPEC_AAD = Buffer.from("3000112233445566778899AABBCCDDEEFF", "hex");

function run(options: Partial<MeterSimulatorOptions>, count: number): SimulatedFrame[] {
  const sim = new MeterSimulator({ seed: 42, start: Date.UTC(2026, 5, 20, 22, 0), ...options });
  return Array.from({ length: count }, () => sim.next());
}

const REGISTERS = [
  { code: "1-0:1.8.0", power: "1-0:1.7.0" },
  { code: "1-0:2.8.0", power: "1-0:2.7.0" },
  { code: "1-0:3.8.0", power: "1-0:3.7.0" },
  { code: "1-0:4.8.0", power: "1-0:4.7.0" },
] as const;

describe.each(PROFILES)("profile %s", (profile) => {
  // One day at the meter's 10 s period, and a year at one frame per 3 h (seasons, both DST switches).
  const day = run({ profile }, 8641);
  const year = run({ profile, start: Date.UTC(2026, 0, 1), intervalMs: 3 * 3_600_000 }, 8 * 365);

  it("never lets an energy register or the gas index go down", () => {
    const bad: string[] = [];
    for (const frames of [day, year]) {
      for (let n = 1; n < frames.length; n++) {
        const [a, b] = [frames[n - 1]!.telegram, frames[n]!.telegram];
        for (const r of REGISTERS) if (wireNumber(b, r.code) < wireNumber(a, r.code)) bad.push(`${n} ${r.code}`);
        const gas = (t: string) => Number(wireFields(t, "0-1:24.2.1")[1]!.replace("*m3", ""));
        if (gas(b) < gas(a)) bad.push(`${n} gas`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("grows each register by the written power integrated over the interval, within the displayed Wh", () => {
    const bad: string[] = [];
    for (const frames of [day, year]) {
      for (const r of REGISTERS) {
        let integratedWh = 0;
        for (let n = 1; n < frames.length; n++) {
          const [prev, f] = [frames[n - 1]!, frames[n]!];
          const stepWh = (wireWatts(f.telegram, r.power) * (f.time - prev.time)) / 3_600_000;
          integratedWh += stepWh;
          const shownStep = Math.round((wireNumber(f.telegram, r.code) - wireNumber(prev.telegram, r.code)) * 1000);
          if (Math.abs(shownStep - stepWh) >= 1) bad.push(`${n} ${r.code} ${shownStep} vs ${stepWh}`);
        }
        const shownWh = Math.round(
          (wireNumber(frames.at(-1)!.telegram, r.code) - wireNumber(frames[0]!.telegram, r.code)) * 1000,
        );
        // Truncation to whole Wh at both ends: never a full Wh apart, however long the run.
        expect(Math.abs(shownWh - integratedWh)).toBeLessThan(1);
      }
    }
    expect(bad).toEqual([]);
  });

  it("writes per-phase powers that sum to the totals, currents of |P| / V and voltages near 230 V", () => {
    const bad: string[] = [];
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    for (const f of day) {
      const t = f.telegram;
      const phases = (c: number) => [c, c + 20, c + 40].map((x) => wireWatts(t, `1-0:${x}.7.0`));
      for (const [c, total] of [
        [21, "1-0:1.7.0"],
        [22, "1-0:2.7.0"],
        [23, "1-0:3.7.0"],
        [24, "1-0:4.7.0"],
      ] as const) {
        if (sum(phases(c)) !== wireWatts(t, total)) bad.push(`${f.index} ${total} ≠ Σ phases`);
      }
      const [imp, exp] = [phases(21), phases(22)];
      for (let i = 0; i < 3; i++) {
        if (imp[i]! !== 0 && exp[i]! !== 0) bad.push(`${f.index} L${i + 1} imports and exports`);
        const v = wireNumber(t, `1-0:${32 + i * 20}.7.0`);
        if (v < 180 || v > 245) bad.push(`${f.index} L${i + 1} ${v} V`);
        const a = wireNumber(t, `1-0:${31 + i * 20}.7.0`);
        if (a !== Math.round((imp[i]! + exp[i]!) / v)) bad.push(`${f.index} L${i + 1} ${a} A`);
      }
      const apparent = wireWatts(t, "1-0:9.7.0") + wireWatts(t, "1-0:10.7.0");
      if (apparent < sum(imp) + sum(exp) - 3) bad.push(`${f.index} S < P`);
    }
    expect(bad).toEqual([]);
  });

  it("captures the gas index on full hours at the value the flow integrates to", () => {
    const frames = run({ profile, recordTruth: true }, 1000);
    let captures = 0;
    for (let n = 1; n < frames.length; n++) {
      const [prev, f] = [frames[n - 1]!, frames[n]!];
      const [tst, value] = wireFields(f.telegram, "0-1:24.2.1");
      expect(tst).toMatch(/^\d{6}\d{2}0000[SW]$/);
      const hour = Math.floor(f.time / 3_600_000) * 3_600_000;
      if (hour > prev.time) {
        captures++;
        const litres = prev.truth.gas_m3 * 1000 + (f.truth.gas_flow_lph * (hour - prev.time)) / 3_600_000;
        expect(Math.abs(Number(value!.replace("*m3", "")) * 1000 - litres)).toBeLessThan(1);
      }
    }
    expect(captures).toBeGreaterThanOrEqual(2);
  });
});

describe("MeterSimulator", () => {
  it("reproduces byte-identical telegrams and frames from the same seed, and others from another", () => {
    const a = run({ key: KEY, profile: "pv" }, 500);
    const b = run({ key: KEY, profile: "pv" }, 500);
    const c = run({ key: KEY, profile: "pv", seed: 43 }, 500);
    expect(b.map((f) => f.telegram)).toEqual(a.map((f) => f.telegram));
    expect(Buffer.concat(b.map((f) => f.frame!)).equals(Buffer.concat(a.map((f) => f.frame!)))).toBe(true);
    expect(c.map((f) => f.telegram)).not.toEqual(a.map((f) => f.telegram));
  });

  it("stamps telegram n with start + n × interval and counts frames up by one", () => {
    const start = Date.UTC(2026, 1, 3, 11, 0, 0);
    const frames = run({ start, intervalMs: 10_000, frameCounterStart: 0xfffffffe }, 4);
    expect(frames.map((f) => f.time)).toEqual([0, 1, 2, 3].map((n) => start + n * 10_000));
    expect(frames.map((f) => wireFields(f.telegram, "0-0:1.0.0")[0])).toEqual([
      "260203120000W",
      "260203120010W",
      "260203120020W",
      "260203120030W",
    ]);
    // The 4-byte counter wraps like the meter's.
    expect(frames.map((f) => f.frameCounter)).toEqual([0xfffffffe, 0xffffffff, 0, 1]);
  });

  it("writes spring-forward and fall-back days with the right S/W flag", () => {
    // 29 March 2026 01:00 UTC: 02:00 CET becomes 03:00 CEST.
    const spring = run({ start: Date.UTC(2026, 2, 29, 0, 59, 40) }, 4).map(
      (f) => wireFields(f.telegram, "0-0:1.0.0")[0],
    );
    expect(spring).toEqual(["260329015940W", "260329015950W", "260329030000S", "260329030010S"]);
    // 25 October 2026 01:00 UTC: 03:00 CEST becomes 02:00 CET; the hour 02:xx is written twice, S then W.
    const fall = run({ start: Date.UTC(2026, 9, 25, 0, 59, 50), intervalMs: 1_800_000 }, 4);
    expect(fall.map((f) => wireFields(f.telegram, "0-0:1.0.0")[0])).toEqual([
      "261025025950S",
      "261025022950W",
      "261025025950W",
      "261025032950W",
    ]);
    expect(fall.map((f) => wireFields(f.telegram, "0-1:24.2.1")[0])).toEqual([
      "261025020000S",
      "261025020000W",
      "261025020000W",
      "261025030000W",
    ]);
  });

  it("encrypts with IV = system title ‖ frame counter and the Smarty AAD (checked with node:crypto)", () => {
    const [f] = run({ key: KEY, meterId: "SAG1030700012701" }, 1);
    const frame = f!.frame!;
    expect(frame.subarray(0, 2).toString("hex")).toBe("db08");
    expect(frame.subarray(2, 10).toString("latin1").slice(0, 3)).toBe("SAG");
    expect(frame.subarray(2, 10).toString("hex")).toBe("5341471030700012");
    expect(frame.readUInt32BE(14)).toBe(f!.frameCounter);
    expect(13 + frame.readUInt16BE(11)).toBe(frame.length);
    const iv = Buffer.concat([frame.subarray(2, 10), frame.subarray(14, 18)]);
    const d = createDecipheriv("aes-128-gcm", KEY, iv, { authTagLength: 12 });
    d.setAAD(SPEC_AAD);
    d.setAuthTag(frame.subarray(frame.length - 12));
    const plain = Buffer.concat([d.update(frame.subarray(18, frame.length - 12)), d.final()]);
    expect(plain.toString("latin1")).toBe(f!.telegram);
  });

  it("steps a sag counter and dips that phase's voltage below 207 V in the same frame", () => {
    const frames = run({ sagsPerDay: 2000 }, 400);
    let sags = 0;
    for (let n = 1; n < frames.length; n++) {
      for (let i = 0; i < 3; i++) {
        const code = `1-0:${32 + i * 20}.32.0`;
        const step = wireNumber(frames[n]!.telegram, code) - wireNumber(frames[n - 1]!.telegram, code);
        expect(step === 0 || step === 1).toBe(true);
        if (step === 1) {
          sags++;
          expect(wireNumber(frames[n]!.telegram, `1-0:${32 + i * 20}.7.0`)).toBeLessThan(207);
        }
      }
    }
    expect(sags).toBeGreaterThan(2);
  });

  it("shows a long message now and then, hex encoded, and clears it again", () => {
    const frames = run({ longMessagesPerDay: 200, intervalMs: 60_000 }, 1440);
    const texts = frames.map((f) => wireFields(f.telegram, "0-0:96.13.0")[0]!);
    const shown = texts.filter((t) => t !== "");
    expect(shown.length).toBeGreaterThan(0);
    expect(texts).toContain("");
    for (const hex of shown) {
      expect(hex).toMatch(/^[0-9A-F]+$/);
      expect(Buffer.from(hex, "hex").toString("latin1")).toMatch(/^[ -~]+$/);
    }
  });

  it("records the true registers, which the telegram truncates to whole Wh", () => {
    const sim = new MeterSimulator({ seed: 5, start: Date.UTC(2026, 3, 1), recordTruth: true });
    const frames = Array.from({ length: 300 }, () => sim.next());
    expect(sim.truthLog).toHaveLength(300);
    expect(sim.truthLog[299]).toEqual(frames[299]!.truth);
    for (const f of frames) {
      const shown = wireNumber(f.telegram, "1-0:1.8.0");
      expect(f.truth.energy_import_kwh).toBeGreaterThanOrEqual(shown);
      expect(f.truth.energy_import_kwh - shown).toBeLessThan(0.001);
    }
    expect(new MeterSimulator({ seed: 5, start: 0 }).truthLog).toHaveLength(0);
  });
});

describe("load curves", () => {
  const week = (profile: "household" | "pv" | "three-phase", month: number) =>
    run({ profile, start: Date.UTC(2026, month, 1), intervalMs: 300_000 }, 7 * 288);
  const meanAtUtcHour = (frames: SimulatedFrame[], hour: number, code: string) => {
    const xs = frames.filter((f) => new Date(f.time).getUTCHours() === hour).map((f) => wireWatts(f.telegram, code));
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };

  it("draws more in the evening than at night in a household", () => {
    const frames = week("household", 10);
    expect(meanAtUtcHour(frames, 18, "1-0:1.7.0")).toBeGreaterThan(1.5 * meanAtUtcHour(frames, 2, "1-0:1.7.0"));
    expect(frames.every((f) => wireWatts(f.telegram, "1-0:2.7.0") === 0)).toBe(true);
  });

  it("exports around noon with PV, more in June than in December, never at night", () => {
    const june = week("pv", 5);
    const december = week("pv", 11);
    expect(meanAtUtcHour(june, 11, "1-0:2.7.0")).toBeGreaterThan(1000);
    expect(meanAtUtcHour(june, 11, "1-0:2.7.0")).toBeGreaterThan(meanAtUtcHour(december, 11, "1-0:2.7.0"));
    expect(meanAtUtcHour(june, 1, "1-0:2.7.0")).toBe(0);
  });

  it("unbalances the phases of a three-phase installation by kilowatts", () => {
    const frames = week("three-phase", 0);
    const spread = Math.max(
      ...frames.map((f) => {
        const p = [21, 41, 61].map((c) => wireWatts(f.telegram, `1-0:${c}.7.0`));
        return Math.max(...p) - Math.min(...p);
      }),
    );
    expect(spread).toBeGreaterThan(5000);
  });
});
