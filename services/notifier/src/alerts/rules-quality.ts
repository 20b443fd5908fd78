/**
 * Supply quality rules: the meter's power failure counters (0-0:96.7.21, 0-0:96.7.9) and per-phase voltage sag
 * and swell counters (1-0:32.32.0 …, 1-0:32.36.0 …) rose; a phase voltage outside 230 V ± 10 % (EN 50160) for a
 * while. Counter rules compare with the persisted snapshot, so the first reading ever only sets the baseline.
 */
import { translator } from "@smarty/i18n";
import type { ReadingContext } from "./reading-context.js";
import { event, fmt, level, PHASE_NAMES, type Signal } from "./signals.js";

function increase(now: number | null | undefined, before: number | null | undefined): number {
  return now != null && before != null && now > before ? now - before : 0;
}

export function qualitySignals(ctx: ReadingContext): Signal[] {
  const out: Signal[] = [];
  const { rules, sample, last } = ctx;
  const lang = ctx.language ?? "en";
  const t = translator(lang);
  const reg = sample.reg;
  if (last && rules.power_failure.enabled) {
    const short = increase(reg.power_failures, last.power_failures);
    const long = increase(reg.long_power_failures, last.long_power_failures);
    if (short + long > 0) {
      const text =
        long > 0 ? t("alert.power_failures.long", { n: short + long, long }) : t("alert.power_failures", { n: short });
      out.push(event("power_failure", "power_failure", text, reg.power_failures));
    }
  }
  PHASE_NAMES.forEach((phase, i) => {
    const n = i + 1;
    if (last && rules.voltage_sag.enabled) {
      const d = increase(reg.sags[i], last.sags[i]);
      if (d > 0)
        out.push(event("voltage_sag", `voltage_sag_l${n}`, t("alert.voltage_sag", { phase, n: d }), reg.sags[i]));
    }
    if (last && rules.voltage_swell.enabled) {
      const d = increase(reg.swells[i], last.swells[i]);
      if (d > 0) {
        out.push(
          event("voltage_swell", `voltage_swell_l${n}`, t("alert.voltage_swell", { phase, n: d }), reg.swells[i]),
        );
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
          t("alert.voltage_range", {
            phase,
            voltage: fmt(v, 1, lang),
            nominal: fmt(range.nominal_v, 0, lang),
            pct: fmt(range.tolerance_pct, 0, lang),
          }),
          v,
          t("alert.voltage_range.back", { phase, voltage: fmt(v, 1, lang) }),
        ),
      );
    }
  });
  return out;
}
