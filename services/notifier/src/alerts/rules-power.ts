/**
 * Power rules: import above a threshold for a while, and the quarter-hour average (the Luxembourg billing
 * interval) approaching or above the limit: the configured limit, else the tariff's power class, else the meter's
 * SMAX (0-0:17.0.0, kVA, taken as kW).
 */
import { translator } from "@smarty/i18n";
import { localClock, QUARTER_MS } from "../calendar.js";
import type { ReadingContext } from "./reading-context.js";
import { fmt, level, type Signal } from "./signals.js";

function quarterLimit(ctx: ReadingContext, explicit: number | undefined): number | undefined {
  return explicit ?? ctx.tariff?.power_class?.kw ?? ctx.sample.power_limit_kva ?? undefined;
}

export function powerSignals(ctx: ReadingContext): Signal[] {
  const out: Signal[] = [];
  const { rules, sample } = ctx;
  const lang = ctx.language ?? "en";
  const t = translator(lang);
  const f = (x: number, digits = 2) => fmt(x, digits, lang);
  const p = sample.power_import_kw;
  const high = rules.power_import_high;
  if (high.enabled && p !== null) {
    const threshold = ctx.isActive("power_import_high") ? high.threshold_kw - high.hysteresis_kw : high.threshold_kw;
    out.push(
      level(
        "power_import_high",
        "power_import_high",
        p > threshold,
        t("alert.power_high", { power: f(p), limit: f(high.threshold_kw, 1) }),
        p,
        t("alert.power_high.back", { power: f(p) }),
      ),
    );
  }
  const q = ctx.quarter;
  const imp = sample.reg.import_kwh;
  if (!q || q.importStart === null || imp === null) return out;
  const energy = Math.max(0, imp - q.importStart);
  const elapsed = sample.t - q.start;
  const qStartText = localClock(q.start);

  const exceeded = rules.quarter_hour_exceeded;
  const exLimit = quarterLimit(ctx, exceeded.limit_kw);
  if (exceeded.enabled && exLimit !== undefined) {
    // Energy already above limit × 0.25 h: this quarter's average is above the limit whatever comes next.
    const over = energy > exLimit * 0.25;
    out.push(
      level(
        "quarter_hour_exceeded",
        "quarter_hour_exceeded",
        over,
        t("alert.quarter_exceeded", { limit: f(exLimit, 1), energy: f(energy, 3), since: qStartText }),
        energy / 0.25,
        t("alert.quarter_exceeded.back"),
      ),
    );
  }

  const near = rules.quarter_hour_approaching;
  const nearLimit = quarterLimit(ctx, near.limit_kw);
  if (near.enabled && nearLimit !== undefined && p !== null && elapsed >= near.min_elapsed) {
    const remainingH = Math.max(0, QUARTER_MS - elapsed) / 3_600_000;
    const projectedKw = (energy + p * remainingH) / 0.25;
    const ratio = ctx.isActive("quarter_hour_approaching") ? near.ratio - near.hysteresis_ratio : near.ratio;
    out.push(
      level(
        "quarter_hour_approaching",
        "quarter_hour_approaching",
        projectedKw >= ratio * nearLimit,
        t("alert.quarter_near", { power: f(projectedKw), limit: f(nearLimit, 1) }),
        projectedKw,
        t("alert.quarter_near.back"),
      ),
    );
  }
  return out;
}
