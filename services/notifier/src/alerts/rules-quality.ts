/**
 * Supply quality rules: the meter's power failure counters (0-0:96.7.21, 0-0:96.7.9) and per-phase voltage sag
 * and swell counters (1-0:32.32.0 …, 1-0:32.36.0 …) rose; a phase voltage outside 230 V ± 10 % (EN 50160) for a
 * while. Counter rules compare with the persisted snapshot, so the first reading ever only sets the baseline.
 */
import type { ReadingContext } from "./reading-context.js";
import { event, fmt, level, PHASE_NAMES, type Signal } from "./signals.js";

function increase(now: number | null | undefined, before: number | null | undefined): number {
  return now != null && before != null && now > before ? now - before : 0;
}

export function qualitySignals(ctx: ReadingContext): Signal[] {
  const out: Signal[] = [];
  const { rules, sample, last } = ctx;
  const reg = sample.reg;
  if (last && rules.power_failure.enabled) {
    const short = increase(reg.power_failures, last.power_failures);
    const long = increase(reg.long_power_failures, last.long_power_failures);
    if (short + long > 0) {
      const what = long > 0 ? `${short + long} power failure(s), ${long} long` : `${short} power failure(s)`;
      out.push(event("power_failure", "power_failure", `The meter counted ${what}`, reg.power_failures));
    }
  }
  PHASE_NAMES.forEach((phase, i) => {
    const n = i + 1;
    if (last && rules.voltage_sag.enabled) {
      const d = increase(reg.sags[i], last.sags[i]);
      if (d > 0) out.push(event("voltage_sag", `voltage_sag_l${n}`, `Voltage sag on ${phase} (${d} new)`, reg.sags[i]));
    }
    if (last && rules.voltage_swell.enabled) {
      const d = increase(reg.swells[i], last.swells[i]);
      if (d > 0) {
        out.push(event("voltage_swell", `voltage_swell_l${n}`, `Voltage swell on ${phase} (${d} new)`, reg.swells[i]));
      }
    }
    const range = rules.voltage_range;
    const v = sample.voltages[i];
    if (range.enabled && v !== null && v !== undefined) {
      const id = `voltage_range_l${n}`;
      const band = (range.nominal_v * range.tolerance_pct) / 100;
      const margin = ctx.isActive(id) ? range.hysteresis_v : 0;
      const outside = v < range.nominal_v - band + margin || v > range.nominal_v + band - margin;
      out.push(
        level(
          "voltage_range",
          id,
          outside,
          `${phase} voltage ${fmt(v, 1)} V is outside ${fmt(range.nominal_v, 0)} V ± ${fmt(range.tolerance_pct, 0)} %`,
          v,
          `${phase} voltage back to ${fmt(v, 1)} V`,
        ),
      );
    }
  });
  return out;
}
