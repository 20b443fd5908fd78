import { type RedisServer, startRedis } from "@smarty/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlertHarness, alertHarness, states } from "../helpers/alert-harness.js";

const T0 = Date.parse("2026-06-10T08:00:00Z");
const S = 1000;
const MIN = 60 * S;

describe("alert rules", () => {
  let redis: RedisServer;
  const open: AlertHarness[] = [];
  const harness = async (yaml = "", start = T0) => {
    const h = await alertHarness(redis.url, yaml, start);
    open.push(h);
    return h;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const h of open) await h.close().catch(() => undefined);
    await redis?.stop();
  });

  it("fires power import high once per episode, holds it with hysteresis, clears, and respects the cooldown", async () => {
    const h = await harness(
      "alerts: {rules: {power_import_high: {threshold_kw: 8, for: 2m, hysteresis_kw: 0.5, cooldown: 30m}}}",
    );
    let t = T0;
    let kwh = 100;
    const run = async (kw: number, ms: number) => {
      for (const end = t + ms; t < end; t += 10 * S) {
        kwh += (kw * 10) / 3600;
        await h.feed(t, { power_kw: kw, import_kwh: kwh });
      }
    };
    await run(5, MIN);
    await run(9, 110 * S); // condition for 1m50s: not yet
    expect(h.notified).toEqual([]);
    await run(9, 3 * MIN);
    await run(7.8, MIN); // below 8 but above 8 − 0.5: still the same episode
    expect(states(h.notified)).toEqual([["power_import_high", "active"]]);
    await run(7, 20 * S);
    expect(states(h.notified)).toEqual([
      ["power_import_high", "active"],
      ["power_import_high", "cleared"],
    ]);
    await run(9, 3 * MIN); // a new episode inside the 30 min cooldown: published, not notified
    expect(h.service.engine.isActive("SAG1030790002574", "power_import_high")).toBe(true);
    await run(5, MIN);
    expect(h.notified).toHaveLength(2);
    expect(states(h.published).slice(-2)).toEqual([
      ["power_import_high", "active"],
      ["power_import_high", "cleared"],
    ]);
    t += 30 * MIN;
    await run(9, 3 * MIN);
    expect(states(h.notified)).toEqual([
      ["power_import_high", "active"],
      ["power_import_high", "cleared"],
      ["power_import_high", "active"],
    ]);
    expect(h.notified[2]?.message).toBe("Import power 9.00 kW is above 8.0 kW");
  });

  it("raises counter events with the phase, once, and clears them after the quiet time", async () => {
    const h = await harness(
      "alerts: {rules: {power_failure: {clear_after: 15m}, voltage_sag: {clear_after: 10m}, meter_silent: {enabled: false}}}",
    );
    const base = { import_kwh: 1, power_failures: 7, sags: [3, 0, 0], swells: [0, 0, 0] };
    await h.feed(T0, base); // baseline only
    await h.feed(T0 + 10 * S, { ...base, power_failures: 8, sags: [3, 2, 0] });
    await h.feed(T0 + 20 * S, { ...base, power_failures: 9, sags: [3, 2, 0] }); // same episode
    expect(states(h.notified)).toEqual([
      ["power_failure", "active"],
      ["voltage_sag_l2", "active"],
    ]);
    expect(h.notified[1]?.message).toBe("Voltage sag on L2 (2 new)");
    expect(h.service.engine.get("SAG1030790002574", "power_failure")?.value).toBe(9);
    h.clock.set(T0 + 20 * S + 10 * MIN);
    await h.service.tick();
    expect(states(h.notified).slice(2)).toEqual([["voltage_sag_l2", "cleared"]]);
    h.clock.set(T0 + 20 * S + 15 * MIN);
    await h.service.tick();
    expect(states(h.notified).slice(3)).toEqual([["power_failure", "cleared"]]);
  });

  it("keeps episodes and baselines across a restart", async () => {
    const h = await harness();
    const base = { import_kwh: 1, power_failures: 7, breaker: 1 };
    await h.feed(T0, base);
    await h.feed(T0 + 10 * S, { ...base, power_failures: 8 });
    const h2 = await h.restart();
    open.push(h2);
    await h2.feed(T0 + 20 * S, { ...base, power_failures: 8 }); // nothing new after the restart
    await h2.feed(T0 + 30 * S, { ...base, power_failures: 8, breaker: 0 });
    expect(h2.service.engine.isActive("SAG1030790002574", "power_failure")).toBe(true);
    expect(states(h2.notified)).toEqual([["breaker_state", "active"]]);
    expect(h2.notified[0]?.message).toBe("Meter breaker changed from 1 (closed) to 0 (open)");
  });

  it("reports a silent meter after 60 s and its return", async () => {
    const h = await harness();
    await h.feed(T0, { import_kwh: 1 });
    h.clock.advance(55 * S);
    await h.service.tick();
    expect(h.notified).toEqual([]);
    h.clock.advance(10 * S);
    await h.service.tick();
    expect(states(h.notified)).toEqual([["meter_silent", "active"]]);
    await h.feed(T0 + 70 * S, { import_kwh: 1.01 });
    expect(states(h.notified)).toEqual([
      ["meter_silent", "active"],
      ["meter_silent", "cleared"],
    ]);
  });

  it("flags voltage outside 230 V ± 10 % for a minute, per phase", async () => {
    const h = await harness("alerts: {rules: {voltage_range: {for: 1m, hysteresis_v: 2}}}");
    const at = async (s: number, l3: number) =>
      h.feed(T0 + s * S, { import_kwh: 1 + s / 1e5, voltages: [230, 231, l3] });
    await at(0, 230);
    await at(10, 254);
    await at(40, 255);
    expect(h.notified).toEqual([]);
    await at(70, 256);
    await at(80, 252); // inside the band but not by the 2 V hysteresis
    expect(states(h.notified)).toEqual([["voltage_range_l3", "active"]]);
    await at(90, 250);
    expect(states(h.notified)).toEqual([
      ["voltage_range_l3", "active"],
      ["voltage_range_l3", "cleared"],
    ]);
  });

  it("warns when the quarter hour heads for the power class and when it is exceeded", async () => {
    const yaml = `
tariff: {import_per_kwh: 0.2, power_class: {kw: 3, excess_per_kwh: 0.1139}}
alerts: {rules: {quarter_hour_approaching: {ratio: 0.9, min_elapsed: 3m}}}`;
    const q = Date.parse("2026-06-10T08:00:00Z");
    const h = await harness(yaml, q);
    // 0.75 kWh is the 3 kW class over a quarter. 4 kW for 5 min = 0.333 kWh; projected with 4 kW for the
    // remaining 10 min: (0.333 + 0.667) / 0.25 h = 4 kW ≥ 2.7 kW.
    for (let s = 0; s <= 300; s += 10) await h.feed(q + s * S, { import_kwh: 10 + (4 * s) / 3600, power_kw: 4 });
    expect(states(h.notified)).toEqual([["quarter_hour_approaching", "active"]]);
    // Energy passes 0.75 kWh after 675 s at 4 kW; the reading at 680 s shows 4 × 680 / 3600 = 0.756 kWh.
    for (let s = 310; s <= 690; s += 10) await h.feed(q + s * S, { import_kwh: 10 + (4 * s) / 3600, power_kw: 4 });
    expect(states(h.notified)).toEqual([
      ["quarter_hour_approaching", "active"],
      ["quarter_hour_exceeded", "active"],
    ]);
    expect(h.notified[1]?.message).toBe("The 15-minute average is above 3.0 kW: 0.756 kWh used since 10:00");
  });

  it("mutes notifications for a time but still publishes the state", async () => {
    const h = await harness();
    await h.feed(T0, { import_kwh: 1, power_failures: 1 });
    await h.service.engine.mute(3_600_000);
    await h.feed(T0 + 10 * S, { import_kwh: 1, power_failures: 2 });
    expect(h.notified).toEqual([]);
    expect(h.published.at(-1)).toMatchObject({
      id: "power_failure",
      state: "active",
      muted_until: "2026-06-10T11:00:00+02:00",
    });
  });

  it("raises wrong-key ingest health and an operator message", async () => {
    const h = await harness();
    await h.health({ state: "wrong_key", authentication_failures: 12 });
    await h.feed(T0, { import_kwh: 1, long_message: "Maintenance on 12 June" });
    await h.feed(T0 + 10 * S, { import_kwh: 1, long_message: "Maintenance on 12 June" });
    await h.health({ state: "ok", authentication_failures: 12 });
    expect(states(h.notified)).toEqual([
      ["ingest_auth_main", "active"],
      ["operator_message_long_message", "active"],
      ["ingest_auth_main", "cleared"],
    ]);
    expect(h.notified[1]?.message).toBe("Message from the grid operator: Maintenance on 12 June");
  });
  it("alerts when the ingest refuses plaintext frames or impossible meter times, once per rise", async () => {
    const h = await harness();
    await h.health({ state: "ok", plaintext_rejected: 0, clock_suspect_readings: 0 });
    expect(h.notified).toEqual([]);
    await h.health({ state: "errors", plaintext_rejected: 3, clock_suspect_readings: 0 });
    await h.health({ state: "errors", plaintext_rejected: 3, clock_suspect_readings: 0 }); // no rise: nothing new
    expect(states(h.notified)).toEqual([["ingest_untrusted_main", "active"]]);
    expect(h.notified[0]?.message).toBe(
      "The ingest refused untrusted input: 3 plaintext frame(s) while a P1 key is set, 0 reading(s) with an impossible meter time",
    );
    expect(h.published.at(-1)).toMatchObject({ id: "ingest_untrusted_main", state: "active", severity: "critical" });
  });
});
