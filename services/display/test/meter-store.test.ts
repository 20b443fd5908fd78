import { netPowerW } from "@smarty/p1";
import { ManualClock } from "@smarty/service-kit";
import { describe, expect, it } from "vitest";
import { MAX_METERS, type MeterChange, MeterStore } from "../src/meter-store.js";
import { luxReading } from "./helpers/readings.js";
import { statistics } from "./helpers/statistics.js";

function store() {
  const clock = new ManualClock(Date.UTC(2026, 3, 3, 15, 54, 31));
  const s = new MeterStore({ clock, staleAfterMs: 30_000 });
  const changes: [string, MeterChange][] = [];
  s.on("meter", (id, change) => changes.push([id, change]));
  return { clock, s, changes };
}

describe("MeterStore", () => {
  it("keeps the latest reading with its arrival time and a sparkline sample of net power", () => {
    const { clock, s, changes } = store();
    s.putReading("m1", luxReading({ values: { power_import_kw: 1.5 } }));
    clock.advance(10_000);
    s.putReading("m1", luxReading({ values: { power_import_kw: 0, power_export_kw: 0.75 } }));
    const e = s.meter("m1");
    expect(e?.receivedAt).toBe(clock.now());
    // 1-0:1.7.0(01.500*kW) then 1-0:2.7.0(00.750*kW): +1500 W, then −750 W.
    expect(e?.history.samples(clock.now()).map(([, w]) => w)).toEqual([1500, -750]);
    expect(changes).toEqual([
      ["m1", "reading"],
      ["m1", "reading"],
    ]);
  });

  it("announces the stale state once, when the stale time passes without a reading", () => {
    const { clock, s, changes } = store();
    s.putReading("m1", luxReading());
    clock.advance(29_999);
    expect(changes).toHaveLength(1);
    clock.advance(1);
    expect(changes.at(-1)).toEqual(["m1", "state"]);
    clock.advance(60_000);
    expect(changes).toHaveLength(2);
  });

  it("restarts the stale timer with every reading", () => {
    const { clock, s, changes } = store();
    for (let i = 0; i < 10; i++) {
      s.putReading("m1", luxReading());
      clock.advance(10_000);
    }
    expect(changes.filter(([, c]) => c === "state")).toEqual([]);
  });

  it("refuses a meter beyond MAX_METERS and keeps the others", () => {
    const { s } = store();
    for (let i = 0; i < MAX_METERS; i++) expect(s.putReading(`m${i}`, luxReading())).toBe(true);
    expect(s.putReading("one-too-many", luxReading())).toBe(false);
    expect(s.meterList()).toHaveLength(MAX_METERS);
    expect(s.meter("one-too-many")).toBeUndefined();
  });

  it("announces statistics for a known meter and keeps those that arrive before its first reading", () => {
    const { s, changes } = store();
    s.putStatistics("m1", statistics("m1", {}, {}));
    expect(changes).toEqual([]);
    s.putReading("m1", luxReading());
    expect(s.statisticsOf("m1")?.meter_id).toBe("m1");
    s.putStatistics("m1", statistics("m1", { energy_import_kwh: 1 }, {}));
    expect(changes.at(-1)).toEqual(["m1", "statistics"]);
  });

  it("forgets a removed meter and cancels its stale timer", () => {
    const { clock, s, changes } = store();
    const removed: string[] = [];
    s.on("remove", (id) => removed.push(id));
    s.putReading("m1", luxReading());
    expect(s.removeMeter("m1")).toBe(true);
    expect(removed).toEqual(["m1"]);
    clock.advance(60_000);
    expect(changes).toEqual([["m1", "reading"]]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("tracks ingest health and status per instance and drops an instance when both are cleared", () => {
    const { s } = store();
    let events = 0;
    s.on("ingest", () => events++);
    s.setIngestStatus("main", "online");
    expect(s.ingestList()).toEqual([{ instance: "main", health: undefined, status: "online" }]);
    s.setIngestStatus("main", undefined);
    expect(s.ingestList()).toEqual([]);
    expect(events).toBe(2);
  });
});

describe("netPowerW", () => {
  it("is import minus export in W, and undefined without either register", () => {
    expect(netPowerW(luxReading({ values: { power_import_kw: 0.005, power_export_kw: 0 } }))).toBe(5);
    const r = { ...luxReading() } as Record<string, unknown>;
    delete r.power_import_kw;
    delete r.power_export_kw;
    expect(netPowerW(r as ReturnType<typeof luxReading>)).toBeUndefined();
  });
});
