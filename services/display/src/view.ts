/**
 * The view of one meter: what the page and `/api/meters/:id/now` show, computed from the reading (named values of
 * the OBIS registry, packages/p1), the notifier's statistics and the configured limits. Pure: time comes in.
 */
import type { PeriodStatistics, Statistics } from "@smarty/contracts";
import {
  kwToW,
  netPowerW,
  OBIS_REGISTRY,
  PHASES,
  type Phase,
  type PhaseNumber,
  type Reading,
  readingNumber,
  readingText,
} from "@smarty/p1";
import type { MeterEntry } from "./meter-store.js";

/** EN 50160: the supply voltage stays within 230 V ± 10 % (207–253 V) for 95 % of each week. */
export const VOLTAGE_BAND = { nominal: 230, min: 207, max: 253 } as const;

export interface ViewSettings {
  /** Contracted power class in W; takes precedence over the meter's SMAX. */
  readonly powerClassW?: number | undefined;
  readonly pricePerKwh?: number | undefined;
  readonly currency: string;
}

export interface PhaseView {
  readonly phase: Phase;
  /** Net power of the phase in W, import positive. */
  readonly power_w: number | null;
  readonly current_a: number | null;
  readonly voltage_v: number | null;
}

export interface PeriodView {
  readonly import_kwh: number | null;
  readonly export_kwh: number | null;
  readonly cost: number | null;
  readonly currency: string | null;
  /** True when the cost is DISPLAY_PRICE_PER_KWH × imported energy rather than the notifier's tariff. */
  readonly cost_estimated: boolean;
  readonly peak_15min_kw: number | null;
}

export interface MbusView {
  readonly channel: number;
  readonly medium: string;
  readonly value: number | null;
  readonly unit: string | null;
  readonly time: string | null;
  /** Consumption today from the statistics, in `unit`. */
  readonly today: number | null;
}

export interface MeterView {
  readonly id: string;
  readonly meter_id: string;
  readonly state: "live" | "stale";
  /** Arrival of the latest reading (ISO 8601, the display's clock). */
  readonly received_at: string;
  /** Seconds since that arrival. */
  readonly age_s: number;
  /** The meter's own time of the latest reading (ISO 8601), null when it sends none. */
  readonly reading_time: string | null;
  readonly power: {
    readonly import_w: number | null;
    readonly export_w: number | null;
    readonly net_w: number | null;
    readonly limit_w: number | null;
    readonly limit_source: "power_class" | "smax" | null;
  };
  readonly phases: readonly PhaseView[];
  /** The total limit shared by the phases present. */
  readonly phase_power_limit_w: number | null;
  /** Import current limit of the breaker/fuse (OBIS 1-1:31.4.0, first value). */
  readonly current_limit_a: number | null;
  readonly registers: { readonly import_kwh: number | null; readonly export_kwh: number | null };
  readonly mbus: readonly MbusView[];
  readonly messages: readonly string[];
  readonly today: PeriodView | null;
  readonly month: PeriodView | null;
}

/** Long and short messages of the meter (OBIS 0-0:96.13.x), keys taken from the registry. */
const MESSAGE_KEYS = OBIS_REGISTRY.filter((d) => d.code.startsWith("0-0:96.13.")).map((d) => d.key);

function phaseView(r: Reading, phase: Phase, n: PhaseNumber): PhaseView | undefined {
  const imp = readingNumber(r, `power_import_l${n}_kw`);
  const exp = readingNumber(r, `power_export_l${n}_kw`);
  const current = readingNumber(r, `current_l${n}_a`);
  const voltage = readingNumber(r, `voltage_l${n}_v`);
  if (imp === undefined && exp === undefined && current === undefined && voltage === undefined) return undefined;
  return { phase, power_w: netPowerW(r, n) ?? null, current_a: current ?? null, voltage_v: voltage ?? null };
}

/** The import current limit: `1-1:31.4.0(040*A)(-040*A)` parses to [40, -40]; some meters send one value. */
function currentLimit(r: Reading): number | null {
  const v = r.current_limit_a;
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "number" && Number.isFinite(first) && first !== 0 ? Math.abs(first) : null;
}

function periodView(p: PeriodStatistics | null | undefined, s: ViewSettings): PeriodView | null {
  if (!p) return null;
  let cost: number | null = null;
  let currency: string | null = null;
  let estimated = false;
  if (p.cost) {
    cost = p.cost.total;
    currency = p.cost.currency;
  } else if (s.pricePerKwh !== undefined && p.energy_import_kwh !== null) {
    cost = Math.round(p.energy_import_kwh * s.pricePerKwh * 100) / 100;
    currency = s.currency;
    estimated = true;
  }
  return {
    import_kwh: p.energy_import_kwh,
    export_kwh: p.energy_export_kwh,
    cost,
    currency,
    cost_estimated: estimated,
    peak_15min_kw: p.peak_15min_import_kw,
  };
}

/** Builds the view of a meter at time `now` (ms since epoch). */
export function meterView(
  entry: MeterEntry,
  statistics: Statistics | undefined,
  settings: ViewSettings,
  now: number,
  staleAfterMs: number,
): MeterView {
  const r = entry.reading;
  const imp = kwToW(readingNumber(r, "power_import_kw"));
  const exp = kwToW(readingNumber(r, "power_export_kw"));
  const smax = readingNumber(r, "power_limit_kva");
  // SMAX is in kVA; at the unity power factor of a household it is the kW ceiling of the connection.
  const limitW = settings.powerClassW ?? (smax !== undefined && smax > 0 ? kwToW(smax) : null);
  const limitSource = settings.powerClassW !== undefined ? "power_class" : limitW !== null ? "smax" : null;
  const phases = PHASES.map(({ phase, n }) => phaseView(r, phase, n)).filter((p): p is PhaseView => p !== undefined);
  const today = statistics?.current.day;
  return {
    id: entry.id,
    meter_id: r.meter_id,
    state: now - entry.receivedAt >= staleAfterMs ? "stale" : "live",
    received_at: new Date(entry.receivedAt).toISOString(),
    age_s: Math.max(0, Math.round((now - entry.receivedAt) / 1000)),
    reading_time: r.time,
    power: {
      import_w: imp,
      export_w: exp,
      net_w: netPowerW(r) ?? null,
      limit_w: limitW,
      limit_source: limitSource,
    },
    phases,
    phase_power_limit_w: limitW !== null && phases.length > 0 ? Math.round(limitW / phases.length) : null,
    current_limit_a: currentLimit(r),
    registers: {
      import_kwh: readingNumber(r, "energy_import_kwh") ?? null,
      export_kwh: readingNumber(r, "energy_export_kwh") ?? null,
    },
    mbus: r.mbus.map((m) => ({
      channel: m.channel,
      medium: m.medium,
      value: m.value ?? null,
      unit: m.unit ?? null,
      time: m.time ?? null,
      today: today?.mbus.find((x) => x.channel === m.channel)?.consumption ?? null,
    })),
    messages: MESSAGE_KEYS.map((k) => readingText(r, k)?.trim() ?? "").filter((m) => m !== ""),
    today: periodView(today, settings),
    month: periodView(statistics?.current.month, settings),
  };
}
