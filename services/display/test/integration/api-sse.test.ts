/**
 * The display against a real mosquitto: readings, statistics and ingest health published as the other services
 * publish them reach `/api/meters`, `/api/meters/:id/now` and `/events`; bad messages are counted and change
 * nothing; staleness follows the (manual) clock; a client that stops reading is dropped over a real socket.
 * Expected values are read off the telegram text of each reading.
 */
import { request } from "node:http";
import { topics } from "@smarty/contracts";
import type { ManualClock } from "@smarty/service-kit";
import { waitFor } from "@smarty/testkit";
import { buildReading, fixtureReading } from "@smarty/testkit/reading-builder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeterUpdate, MeterView, Snapshot } from "../../src/index.js";
import { BASE, type Harness, startHarness } from "../helpers/harness.js";
import { ingestHealth } from "../helpers/ingest-health.js";
import { openSse } from "../helpers/sse-client.js";
import { cost, statistics } from "../helpers/statistics.js";

const METER = "SAG1030700012701";
let h: Harness;

const getJson = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${h.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
};

beforeAll(async () => {
  h = await startHarness({ DISPLAY_STALE_AFTER: "30s", DISPLAY_POWER_CLASS_KW: "7" });
  // The real 2026 Lux telegram: 1-0:2.7.0(00.897*kW) exported, gas 0-1:24.2.1(…)(14239.771*m3).
  await h.publishReading(fixtureReading("meterlogger_lux_2026"));
});

afterAll(async () => {
  await h?.stop();
});

describe("display over MQTT", () => {
  it("lists the meter with its reading JSON and state", async () => {
    const { status, body } = await getJson<{ meters: { id: string; state: string; reading: { mbus: unknown[] } }[] }>(
      "/api/meters",
    );
    expect(status).toBe(200);
    expect(body.meters.map((m) => [m.id, m.state])).toEqual([[METER, "live"]]);
    expect(body.meters[0]?.reading).toMatchObject({
      meter_id: METER,
      power_export_kw: 0.897,
      energy_import_kwh: 273.764,
    });
  });

  it("answers /now with the values of the telegram", async () => {
    const { body } = await getJson<MeterView>(`/api/meters/${METER}/now`);
    expect(body.power).toEqual({ import_w: 0, export_w: 897, net_w: -897, limit_w: 7000, limit_source: "power_class" });
    expect(body.phases[0]).toEqual({ phase: "l1", power_w: -319, current_a: 1, voltage_v: 231 });
    expect(body.mbus[0]).toMatchObject({ medium: "gas", value: 14239.771, unit: "m3" });
    expect(body.today).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/password|smarty_key|mqtt:\/\//i);
  });

  it("streams a snapshot, then each new reading, over Server-Sent Events", async () => {
    const sse = await openSse(`${h.url}/events`);
    try {
      expect(sse.status).toBe(200);
      expect(sse.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
      const snap = await sse.next<Snapshot>("snapshot");
      expect(snap.meters.map((m) => m.id)).toEqual([METER]);
      expect(snap.meters[0]?.history.at(-1)?.[1]).toBe(-897);
      expect(snap.stale_after_ms).toBe(30_000);

      (h.clock as ManualClock).advance(10_000);
      // 1-0:1.7.0(02.345*kW), 1-0:2.7.0(00.000*kW)
      await h.publishReading(buildReading({ meterId: METER, values: { power_import_kw: 2.345 } }));
      const update = await sse.next<MeterUpdate>("meter", (u) => u.meter.power.net_w === 2345);
      expect(update.sample).toEqual([h.clock.now(), 2345]);
      expect(update.meter.state).toBe("live");
    } finally {
      sse.close();
    }
  });

  it("pushes the stale state when no reading arrives for DISPLAY_STALE_AFTER, and live again after one", async () => {
    const sse = await openSse(`${h.url}/events`);
    try {
      await sse.next("snapshot");
      (h.clock as ManualClock).advance(30_000);
      const stale = await sse.next<MeterUpdate>("meter", (u) => u.meter.state === "stale");
      expect(stale.sample).toBeUndefined();
      expect((await getJson<{ meters: { state: string }[] }>("/api/meters")).body.meters[0]?.state).toBe("stale");
      await h.publishReading(buildReading({ meterId: METER }));
      await sse.next<MeterUpdate>("meter", (u) => u.meter.state === "live");
    } finally {
      sse.close();
    }
  });

  it("shows the notifier's statistics once they are published", async () => {
    const sse = await openSse(`${h.url}/events`);
    try {
      await sse.next("snapshot");
      const stats = statistics(METER, { energy_import_kwh: 4.2, cost: cost(1.23) }, { energy_import_kwh: 80.5 });
      await h.publish(topics.statistics(BASE, METER), JSON.stringify(stats), true);
      const u = await sse.next<MeterUpdate>("meter", (x) => x.meter.today !== null);
      expect(u.meter.today).toMatchObject({ import_kwh: 4.2, cost: 1.23, currency: "EUR" });
      expect(u.meter.month).toMatchObject({ import_kwh: 80.5 });
    } finally {
      sse.close();
    }
  });

  it("relays the ingest's wrong-key state with its hint", async () => {
    const sse = await openSse(`${h.url}/events`);
    try {
      await sse.next("snapshot");
      const health = ingestHealth("wrong_key", "check SMARTY_KEY");
      await h.publish(topics.health(BASE, "ingest", "main"), JSON.stringify(health), true);
      const e = await sse.next<{ ingest: { state: string; hint: string }[] }>("ingest", (x) => x.ingest.length > 0);
      expect(e.ingest[0]).toMatchObject({ instance: "main", state: "wrong_key", hint: "check SMARTY_KEY" });
      // The health's source (a device path or host) is not passed on.
      expect(JSON.stringify(e)).not.toContain("ttyUSB0");
    } finally {
      sse.close();
    }
  });

  it("counts bad messages, keeps running and keeps what it had", async () => {
    const before = h.display.subscriber.rejectedTotal;
    await h.publish(topics.reading(BASE, METER), "{not json");
    await h.publish(topics.reading(BASE, METER), JSON.stringify({ meter_id: METER }));
    await h.publish(topics.reading(BASE, "OTHER"), JSON.stringify(buildReading({ meterId: METER })));
    await h.publish(topics.statistics(BASE, METER), JSON.stringify({ meter_id: METER }));
    await h.publish(topics.health(BASE, "ingest", "main"), "[]");
    await waitFor(() => h.display.subscriber.rejectedTotal === before + 5, 5000, "5 rejections");
    expect(h.display.subscriber.rejected).toMatchObject({ json: 1, topic: 1 });
    const { body } = await getJson<{ status: string; rejected: number }>("/healthz");
    expect(body).toMatchObject({ status: "ok", rejected: h.display.subscriber.rejectedTotal });
    const now = await getJson<MeterView>(`/api/meters/${METER}/now`);
    expect(now.status).toBe(200);
    expect(now.body.today?.import_kwh).toBe(4.2);
  });

  it("drops an event-stream client that stops reading, over a real socket, and serves the others", async () => {
    const fast = await openSse(`${h.url}/events`);
    const slow = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
      const req = request(`${h.url}/events`, (res) => {
        res.pause(); // never reads: the server's socket buffer fills up
        resolve(res);
      });
      req.on("error", reject);
      req.end();
    });
    try {
      await fast.next("snapshot");
      await waitFor(() => h.display.hub.size === 2, 5000, "two clients");
      const dropped = h.display.hub.dropped;
      const pad = "x".repeat(64 * 1024);
      // 64 KiB events until the kernel buffers are full and 256 KiB wait in the server for the slow client.
      for (let i = 0; i < 400 && h.display.hub.dropped === dropped; i++) {
        h.display.hub.broadcast("pad", { i, pad });
        await new Promise((r) => setImmediate(r));
      }
      expect(h.display.hub.dropped).toBe(dropped + 1);
      expect(h.display.hub.size).toBe(1);
      await fast.next("pad", (d: { i: number }) => d.i >= 10);
      expect(fast.closed()).toBe(false);
    } finally {
      fast.close();
      slow.destroy();
    }
  });

  it("forgets a meter whose retained reading is deleted", async () => {
    await h.publish(topics.reading(BASE, METER), "", true);
    await waitFor(() => h.display.store.meterList().length === 0, 5000, "meter removed");
    expect((await getJson(`/api/meters/${METER}/now`)).status).toBe(404);
  });
});
