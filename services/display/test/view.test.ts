import { buildReading, fixtureReading } from "@smarty/testkit/reading-builder";
import { describe, expect, it } from "vitest";
import type { MeterEntry } from "../src/meter-store.js";
import { PowerHistory } from "../src/power-history.js";
import { meterView } from "../src/view.js";
import { cost, statistics } from "./helpers/statistics.js";

const NOW = Date.UTC(2026, 3, 3, 15, 54, 40);

function entry(reading = fixtureReading("meterlogger_lux_2026"), receivedAt = NOW - 9000): MeterEntry {
  return { id: reading.meter_id, reading, receivedAt, history: new PowerHistory(), staleTimer: undefined };
}

const settings = { currency: "EUR" };

describe("meterView of a real Lux telegram (meterlogger_lux_2026.txt)", () => {
  const v = meterView(entry(), undefined, settings, NOW, 30_000);

  it("shows 897 W exported: 1-0:1.7.0(00.000*kW), 1-0:2.7.0(00.897*kW)", () => {
    expect(v.power).toMatchObject({ import_w: 0, export_w: 897, net_w: -897 });
  });

  it("takes the limit from SMAX 0-0:17.0.0(027.6*kVA) and the fuse from 1-1:31.4.0(040*A)(-040*A)", () => {
    expect(v.power.limit_w).toBe(27_600);
    expect(v.power.limit_source).toBe("smax");
    expect(v.phase_power_limit_w).toBe(9200);
    expect(v.current_limit_a).toBe(40);
  });

  it("lists the three phases: 22.7.0(00.319*kW) 31.7.0(001*A) 32.7.0(231.0*V) and so on", () => {
    expect(v.phases).toEqual([
      { phase: "l1", power_w: -319, current_a: 1, voltage_v: 231 },
      { phase: "l2", power_w: -300, current_a: 1, voltage_v: 229 },
      { phase: "l3", power_w: -277, current_a: 1, voltage_v: 230 },
    ]);
  });

  it("carries the registers, the gas channel and no message (all 0-0:96.13.x are empty)", () => {
    expect(v.registers).toEqual({ import_kwh: 273.764, export_kwh: 112743.03 });
    expect(v.mbus).toEqual([
      { channel: 1, medium: "gas", value: 14239.771, unit: "m3", time: "2026-04-03T17:45:42+02:00", today: null },
    ]);
    expect(v.messages).toEqual([]);
  });

  it("is live 9 s after arrival and has no totals before the notifier publishes statistics", () => {
    expect(v.state).toBe("live");
    expect(v.age_s).toBe(9);
    expect(v.today).toBeNull();
    expect(v.month).toBeNull();
  });
});

describe("meterView", () => {
  it("is stale once no reading arrived for the stale time", () => {
    expect(meterView(entry(undefined, NOW - 30_000), undefined, settings, NOW, 30_000).state).toBe("stale");
    expect(meterView(entry(undefined, NOW - 29_999), undefined, settings, NOW, 30_000).state).toBe("live");
  });

  it("prefers the configured power class to SMAX and shares it between the phases", () => {
    const v = meterView(entry(), undefined, { ...settings, powerClassW: 7000 }, NOW, 30_000);
    expect(v.power).toMatchObject({ limit_w: 7000, limit_source: "power_class" });
    expect(v.phase_power_limit_w).toBe(2333);
  });

  it("gives the whole limit to the one phase of a single-phase meter", () => {
    const r = buildReading();
    const single = { ...r } as Record<string, unknown>;
    for (const k of Object.keys(single)) if (/_l[23]_/.test(k)) delete single[k];
    const v = meterView(entry(single as typeof r), undefined, settings, NOW, 30_000);
    expect(v.phases.map((p) => p.phase)).toEqual(["l1"]);
    expect(v.phase_power_limit_w).toBe(27_600);
  });

  it("shows the meter's long message (0-0:96.13.0, hex on the wire)", () => {
    const r = buildReading({ values: { long_message: "Coupure 12/05 08:00-10:00" } });
    expect(meterView(entry(r), undefined, settings, NOW, 30_000).messages).toEqual(["Coupure 12/05 08:00-10:00"]);
  });

  it("takes today's and this month's energy and cost from the statistics", () => {
    const stats = statistics(
      "SAG1030700012701",
      {
        energy_import_kwh: 9.84,
        energy_export_kwh: 0.5,
        cost: cost(3.12),
        mbus: [{ channel: 1, medium: "gas", consumption: 1.84, unit: "m3" }],
      },
      { energy_import_kwh: 214.6, energy_export_kwh: 3, peak_15min_import_kw: 8.9 },
    );
    const v = meterView(entry(), stats, settings, NOW, 30_000);
    expect(v.today).toEqual({
      import_kwh: 9.84,
      export_kwh: 0.5,
      cost: 3.12,
      currency: "EUR",
      cost_estimated: false,
      peak_15min_kw: null,
      baseload_w: null,
    });
    expect(v.month).toMatchObject({ import_kwh: 214.6, cost: null, peak_15min_kw: 8.9 });
    expect(v.mbus[0]?.today).toBe(1.84);
  });

  it("estimates the cost from DISPLAY_PRICE_PER_KWH when the statistics carry none", () => {
    const stats = statistics("SAG1030700012701", { energy_import_kwh: 9.84 }, { energy_import_kwh: null });
    const v = meterView(entry(), stats, { currency: "EUR", pricePerKwh: 0.3 }, NOW, 30_000);
    // 9.84 kWh × 0.30 €/kWh = 2.952 €, rounded to the cent.
    expect(v.today).toMatchObject({ cost: 2.95, currency: "EUR", cost_estimated: true });
    expect(v.month?.cost).toBeNull();
  });

  it("shows the baseload of today and of this month (the median of its days), null while unknown", () => {
    const stats = statistics("SAG1030700012701", { baseload_w: 185 }, { baseload_w: 210 });
    const v = meterView(entry(), stats, settings, NOW, 30_000);
    expect(v.today?.baseload_w).toBe(185);
    expect(v.month?.baseload_w).toBe(210);
    // Statistics from a notifier without the field, or a day with too little data.
    const old = statistics("SAG1030700012701", {}, { baseload_w: null });
    expect(meterView(entry(), old, settings, NOW, 30_000).today?.baseload_w).toBeNull();
  });
});
