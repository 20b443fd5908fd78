/**
 * Bounded local load on the HTTP side (loopback only, fixed request counts): the exporter's /metrics and /healthz
 * and the display's page, API and /events under autocannon answer every request with 2xx and keep their resident
 * memory bounded; and event-stream clients that never read do not hold up the stream of a client that does.
 * Memory is reported as numbers; the bound is generous because it guards against leaks, not for speed.
 */
import { connect, type Socket } from "node:net";
import { topics } from "@smarty/contracts";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import autocannon from "autocannon";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningService, readingFor, rssBytes, startService } from "./helpers/services.js";

const METER = "lu-load-meter";
const MIB = 1024 * 1024;
/** Growth of RSS allowed between a warm-up round and a measured round of the same load. */
const RSS_GROWTH_LIMIT = 64 * MIB;

let broker: Mosquitto;
let pub: MqttClient;
let exporter: RunningService;
let display: RunningService;
const sockets: Socket[] = [];

function load(url: string, amount: number): Promise<autocannon.Result> {
  return autocannon({ url, connections: 8, amount, timeout: 10 });
}

beforeAll(async () => {
  broker = await startMosquitto();
  pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
  await pub.publishAsync(topics.reading("smarty", METER), JSON.stringify(readingFor(METER, 1.1)), { retain: true });
  exporter = await startService("exporter", { MQTT_URL: broker.url, LOG_LEVEL: "warn" });
  display = await startService("display", { MQTT_URL: broker.url, LOG_LEVEL: "warn" });
  await waitFor(
    async () => (await (await fetch(`${display.http}/api/meters`)).text()).includes(METER),
    15_000,
    "meter",
  );
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await display?.stop();
  await exporter?.stop();
  await pub?.endAsync();
  await broker?.stop();
});

describe("HTTP under bounded load", () => {
  it.each([
    ["exporter", "/metrics"],
    ["exporter", "/healthz"],
    ["display", "/"],
    ["display", "/api/meters"],
    ["display", "/healthz"],
  ])("%s %s answers every request with 2xx and keeps its memory bounded", async (service, path) => {
    const s = service === "exporter" ? exporter : display;
    const url = `${s.http}${path}`;
    const warm = await load(url, 1000);
    expect(warm.errors + warm.timeouts + warm.non2xx).toBe(0);
    const before = rssBytes(s.pid);
    const r = await load(url, 3000);
    const after = rssBytes(s.pid);
    console.log(
      `${service} ${path}: ${r.requests.total} requests, ${r.requests.average} req/s, p99 ${r.latency.p99} ms, ` +
        `RSS ${(before / MIB).toFixed(1)} → ${(after / MIB).toFixed(1)} MiB`,
    );
    expect({ errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx }).toEqual({ errors: 0, timeouts: 0, non2xx: 0 });
    expect(r["2xx"]).toBe(3000);
    expect(after - before).toBeLessThan(RSS_GROWTH_LIMIT);
  });

  it("keeps streaming events to a reading client while other clients never read", async () => {
    const port = Number(new URL(display.http).port);
    // Stalled clients: they send the request, then never read, so their socket buffers fill up.
    for (let i = 0; i < 4; i++) {
      const s = connect(port, "127.0.0.1");
      s.setNoDelay(true);
      s.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
      s.pause();
      s.on("error", () => undefined);
      sockets.push(s);
    }
    const live = await fetch(`${display.http}/events`);
    const reader = live.body?.getReader();
    if (!reader) throw new Error("no event stream body");
    let received = "";
    let done = false;
    const reading = (async () => {
      // A drop of this client would end the stream early and fail the wait below; the events carry the power
      // sample in watts, and the last ones published are 3 590-3 600 W.
      while (!done) {
        const chunk = await reader.read();
        if (chunk.done) break;
        received += Buffer.from(chunk.value).toString();
        if (received.length > 200_000) received = received.slice(-100_000);
      }
    })().catch((err: unknown) => {
      received += `\nstream ended: ${String(err)}`;
    });
    await waitFor(() => received.includes("event: snapshot"), 5000, "snapshot");
    // Large readings (about 20 kB each, padded with unparsed lines as a chatty meter would send) so that the
    // stalled clients' kernel buffers fill and the hub sees their backlog; QoS 1 paces the publisher.
    const padding = Array.from({ length: 200 }, (_, i) => `0-0:96.99.${i}(${"7".repeat(96)})`);
    for (let i = 0; i <= 600; i++) {
      const r = { ...readingFor(METER, 3 + i / 1000), unparsed: padding };
      await pub.publishAsync(topics.reading("smarty", METER), JSON.stringify(r), { qos: 1 });
    }
    await waitFor(() => /,(359\d|3600)\]\}/.test(received), 20_000, "the last event at the reading client").catch(
      (err: unknown) => {
        throw new Error(`${String(err)}; stream tail: ${received.slice(-600)}`);
      },
    );
    // Whether the stalled ones were dropped yet depends on the kernel's socket buffers (the hub's own limit is
    // covered by sse-hub.test.ts); what matters here is that they held nothing up.
    const res = await fetch(`${display.http}/healthz`);
    expect(res.status).toBe(200);
    const health = (await res.json()) as { dropped_clients: number; clients: number };
    console.log(`display: ${health.clients} event clients open, ${health.dropped_clients} stalled ones dropped`);
    done = true;
    await reader.cancel();
    await reading;
  });
});
