import { randomUUID } from "node:crypto";
import { topics } from "@smarty/contracts";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BASE,
  type Daemons,
  notifierEnv,
  type Running,
  runNotifier,
  startDaemons,
} from "../helpers/notifier-harness.js";
import { METER, simReading } from "../helpers/readings.js";

const T0 = Date.parse("2026-06-10T08:00:00Z");
const Y2099 = Date.parse("2099-06-10T08:00:00Z");
const S = 1000;
const YAML = "alerts: {rules: {meter_silent: {enabled: false}}}\n";

describe("notifier: a reading dated 2099 among real ones", () => {
  let d: Daemons;
  let redis: Redis;
  const open: Running[] = [];

  beforeAll(async () => {
    d = await startDaemons();
    redis = new Redis(d.redis.url);
  });
  afterAll(async () => {
    for (const r of open) await r.stop().catch(() => undefined);
    await redis?.quit();
    await d?.stop();
  });

  /** Channel and recipient of each queued notification of alert `id`. */
  const queuedAlerts = async (prefix: string, id: string) => {
    const out: string[] = [];
    for (const key of await redis.keys(`${prefix}outbox:msg:*`)) {
      const m = JSON.parse((await redis.get(key)) ?? "{}");
      if (m.payload?.kind === "alert" && m.payload.alert.id === id) out.push(`${m.channel}:${m.to}`);
    }
    return out.sort();
  };

  const feed = async (r: Running, t: number, kwh: number) => {
    const payload = Buffer.from(JSON.stringify(simReading(t, { import_kwh: kwh, power_kw: 1 })));
    await r.notifier.core.onReading(topics.reading(BASE, METER), payload);
  };

  it("is rejected, counted and alerted, changes no statistics, and the next real reading is taken", async () => {
    const prefix = `n${randomUUID()}:`;
    const env = { ...notifierEnv(d, YAML, prefix), NOTIFIER_CLOCK_TOLERANCE: "5m" };
    const r = await runNotifier(env, T0);
    open.push(r);
    for (let i = 0; i < 3; i++) {
      r.clock.set(T0 + i * 10 * S);
      await feed(r, T0 + i * 10 * S, 100 + i * 0.01);
    }
    const stateBefore = await redis.get(`${prefix}stats:${METER}`);
    const receivedBefore = r.notifier.core.latestReceivedAt(METER);
    r.clock.set(T0 + 30 * S);
    await feed(r, Y2099, 999_999);

    expect(r.notifier.core.clockSuspect).toBe(1);
    expect(r.notifier.alerts.engine.get(METER, "meter_clock")).toMatchObject({ state: "active", severity: "warning" });
    expect(await queuedAlerts(prefix, "meter_clock")).toEqual(["email:alice@example.org", "email:bob@example.org"]);
    expect(await redis.get(`${prefix}stats:${METER}`)).toBe(stateBefore);
    expect(r.notifier.core.latestReceivedAt(METER)).toBe(receivedBefore);
    expect(r.notifier.core.latest(METER)?.time).not.toMatch(/^2099/);
    expect(await redis.hlen(`${prefix}history:${METER}:day`)).toBe(0);

    r.clock.set(T0 + 40 * S);
    await feed(r, T0 + 40 * S, 100.04);
    const s = await r.notifier.stats.statistics(METER, r.clock.now());
    expect(s?.current.day.readings).toBe(4);
    expect(s?.current.day.energy_import_kwh).toBe(0.04);
    expect(r.notifier.core.latestReceivedAt(METER)).toBe(T0 + 40 * S);
  });

  it("keeps its anchor across a restart, also when the host clock restarts in 1970", async () => {
    const prefix = `n${randomUUID()}:`;
    const env = { ...notifierEnv(d, YAML, prefix), NOTIFIER_CLOCK_TOLERANCE: "5m" };
    const first = await runNotifier(env, T0);
    open.push(first);
    await feed(first, T0, 100);
    await first.stop();
    open.pop();

    // A Raspberry Pi without RTC restarted before NTP answered: its wall clock says 1970.
    const second = await runNotifier(env, Date.parse("1970-01-01T00:00:30Z"));
    open.push(second);
    await feed(second, Y2099, 999_999);
    expect(second.notifier.core.clockSuspect).toBe(1);
    await feed(second, T0 + 10 * S, 100.01);
    const s = await second.notifier.stats.statistics(METER, T0 + 10 * S);
    expect(s?.current.day.readings).toBe(2);
    expect(second.notifier.core.clockSuspect).toBe(1);
  });
});
