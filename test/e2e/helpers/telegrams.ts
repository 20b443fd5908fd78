/**
 * Expected values for the end-to-end run, taken from the telegram text of the simulated meter and never from the
 * stack's own code: @smarty/simulator is pure, so the seed, start and interval the simulator process was given
 * reproduce its telegrams here, and each value is read from its OBIS line (DSMR 5.0.2 §6.12) with a regex.
 */
import { MeterSimulator } from "@smarty/simulator";

export interface SimulatedRun {
  readonly seed: number;
  /** Time of the first telegram, ms (whole seconds). */
  readonly start: number;
  readonly intervalMs: number;
  readonly count: number;
}

export interface TelegramValues {
  /** Telegram time, ms since epoch. */
  readonly time: number;
  /** `1-0:1.8.0`, kWh as written (3 decimals), and in whole Wh. */
  readonly importKwh: string;
  readonly importWh: number;
  /** `1-0:1.7.0`, kW. */
  readonly powerImportKw: number;
  /** `1-0:32.7.0`, V. */
  readonly voltageL1: number;
}

function line(telegram: string, obis: string): string {
  const escaped = obis.replaceAll(".", "\\.").replaceAll(":", "\\:");
  const m = new RegExp(`^${escaped}\\(([^)*]*)`, "m").exec(telegram);
  if (!m) throw new Error(`no ${obis} line in the telegram`);
  return m[1] as string;
}

/** The telegrams of the run, in order, as values read from their text. */
export function simulatedTelegrams(run: SimulatedRun): TelegramValues[] {
  const sim = new MeterSimulator({ seed: run.seed, start: run.start, intervalMs: run.intervalMs });
  return Array.from({ length: run.count }, () => {
    const { telegram } = sim.next();
    // 0-0:1.0.0(YYMMDDhhmmssX): local time, X = S (summer, UTC+2) or W (winter, UTC+1) in Luxembourg.
    const ts = line(telegram, "0-0:1.0.0");
    const [yy, mo, dd, hh, mi, ss] = (ts.match(/\d\d/g) ?? []).map(Number) as number[];
    const offsetH = ts.endsWith("S") ? 2 : 1;
    const time = Date.UTC(2000 + (yy ?? 0), (mo ?? 1) - 1, dd, (hh ?? 0) - offsetH, mi, ss);
    const importKwh = line(telegram, "1-0:1.8.0").replace(/^0+(?=\d)/, "");
    return {
      time,
      importKwh,
      importWh: Number(importKwh.replace(".", "")),
      powerImportKw: Number(line(telegram, "1-0:1.7.0")),
      voltageL1: Number(line(telegram, "1-0:32.7.0")),
    };
  });
}

/** The telegrams from `first` to `last` (inclusive, by time); throws when either time is not in the run. */
export function telegramsBetween(all: readonly TelegramValues[], first: number, last: number): TelegramValues[] {
  const i = all.findIndex((t) => t.time === first);
  const j = all.findIndex((t) => t.time === last);
  if (i < 0 || j < i) throw new Error(`readings ${new Date(first).toISOString()}…${new Date(last).toISOString()}`);
  return all.slice(i, j + 1);
}
