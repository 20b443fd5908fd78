import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BurstLogger } from "../src/burst-log.js";
import { ManualClock } from "../src/clock.js";
import { createLogger } from "../src/logger.js";
import type { MessageHandler } from "../src/mqtt-connection.js";
import { rawRoute, route, subscribe } from "../src/subscribe.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { lines, logger: createLogger({ service: "test", destination }) };
}

/** The subscribe side of MqttConnection, without a broker: handlers by filter. */
function fakeConnection() {
  const handlers = new Map<string, MessageHandler>();
  return {
    baseTopic: "smarty",
    handlers,
    subscribe: async (filter: string, handler: MessageHandler) => void handlers.set(filter, handler),
    send(filter: string, topic: string, payload: string, retained = true) {
      return handlers.get(filter)?.(topic, Buffer.from(payload), retained);
    },
  };
}

const health = {
  instance: "main",
  state: "ok",
  source: "tcp://meter:2001",
  started_at: "2026-04-03T17:54:31+02:00",
  updated_at: "2026-04-03T17:54:31+02:00",
  last_frame_at: null,
  frames_ok: 1,
  authentication_failures: 0,
  crc_failures: 0,
  format_errors: 0,
  replays: 0,
  missed_frames: 0,
  meter_changes: 0,
  stale_readings: 0,
  bytes: 10,
  skipped_bytes: 0,
  reconnects: 0,
  queue_length: 0,
  dropped_readings: 0,
  meters: [],
};

describe("subscribe", () => {
  it("subscribes each route's filter, decodes, clears on an empty retained payload, counts and logs rejects once", async () => {
    const { lines, logger } = capture();
    const clock = new ManualClock(0);
    const connection = fakeConnection();
    const seen: string[] = [];
    const rejected: string[] = [];
    const sub = subscribe({
      connection,
      burst: new BurstLogger(logger, clock, 60_000),
      logger,
      rejected: (reason) => rejected.push(reason),
      routes: [
        route("ingestHealth", {
          message: (h, p) => void seen.push(`health ${p.instance} ${h.frames_ok}`),
          cleared: (p) => void seen.push(`cleared ${p.instance}`),
        }),
        route("ingestStatus", {
          message: (status, p, ctx) =>
            status === "offline" ? ctx.reject("full", "too many") : void seen.push(`${p.instance} ${status}`),
        }),
        rawRoute("notifierCommand", (payload) => void seen.push(`command ${payload.toString()}`)),
      ],
    });
    await sub.subscribed;
    expect([...connection.handlers.keys()]).toEqual([
      "smarty/ingest/+/health",
      "smarty/ingest/+/status",
      "smarty/notifier/cmd",
    ]);
    expect(lines.find((l) => l.msg === "subscribed")).toBeDefined();

    connection.send("smarty/ingest/+/health", "smarty/ingest/main/health", JSON.stringify(health));
    connection.send("smarty/ingest/+/health", "smarty/ingest/main/health", "");
    connection.send("smarty/ingest/+/health", "smarty/ingest/main/health", "{");
    connection.send("smarty/ingest/+/health", "smarty/ingest/main/health", "{");
    connection.send("smarty/ingest/+/health", "smarty/ingest/main/health", '{"x":1}');
    connection.send("smarty/ingest/+/health", "smarty/exporter/main/health", JSON.stringify(health));
    connection.send("smarty/ingest/+/status", "smarty/ingest/a/status", "online");
    connection.send("smarty/ingest/+/status", "smarty/ingest/a/status", "offline");
    connection.send("smarty/ingest/+/status", "smarty/ingest/a/status", "maybe");
    connection.send("smarty/notifier/cmd", "smarty/notifier/cmd", "not json", false);
    connection.send("smarty/notifier/cmd", "smarty/notifier/cmd", '{"command":"unmute"}', true);

    expect(seen).toEqual(["health main 1", "cleared main", "a online", "command not json"]);
    expect(rejected).toEqual(["json", "json", "schema", "topic", "full", "schema"]);
    const warnings = lines.filter((l) => l.msg === "message rejected");
    expect(warnings.map((l) => l.reason)).toEqual(["json", "schema", "topic", "full"]);
    expect(warnings[0]).toMatchObject({ topic: "smarty/ingest/main/health", kind: "rejected_json" });
  });

  it("delivers a message the way the connection would, for tests that bypass the broker", async () => {
    const { logger } = capture();
    const connection = fakeConnection();
    const got: string[] = [];
    const sub = subscribe({
      connection,
      burst: new BurstLogger(logger, new ManualClock(0)),
      logger,
      routes: [
        route("statistics", { message: (s) => void got.push(s.meter_id), cleared: (p) => void got.push(p.meterId) }),
      ],
    });
    await sub.deliver("statistics", "smarty/M1/statistics", Buffer.alloc(0), true);
    expect(got).toEqual(["M1"]);
  });
});
