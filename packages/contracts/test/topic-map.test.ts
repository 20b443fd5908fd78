import { describe, expect, it } from "vitest";
import { decodeTopicMessage, topicMap, topicMessage } from "../src/topic-map.js";

const health = {
  instance: "main",
  state: "ok",
  version: "1",
  started_at: "2026-04-03T17:54:31+02:00",
  updated_at: "2026-04-03T17:54:31+02:00",
};
const statistics = { meter_id: "M1" };
const body = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v));

describe("topicMap", () => {
  it("subscribes every entry on a filter that matches the topics it publishes", () => {
    expect(topicMap.reading.filter("smarty")).toBe("smarty/+/reading");
    expect(topicMap.ingestHealth.filter("smarty")).toBe("smarty/ingest/+/health");
    expect(topicMap.notifierCommand.filter("smarty")).toBe("smarty/notifier/cmd");
    expect(topicMap.state.filter("smarty")).toBe("smarty/+/state/+");
    expect(topicMessage("smarty", "state", { meterId: "M1", key: "power_import_kw" }, "1.5")).toEqual({
      topic: "smarty/M1/state/power_import_kw",
      payload: "1.5",
      retain: true,
    });
    expect(topicMessage("smarty", "ingestStatus", { instance: "a/b" }, "online")).toEqual({
      topic: "smarty/ingest/a_b/status",
      payload: "online",
      retain: true,
    });
    expect(topicMessage("smarty", "notifierResponse", {}, { status: "ok" })).toEqual({
      topic: "smarty/notifier/cmd/response",
      payload: '{"status":"ok"}',
      retain: false,
    });
  });

  it("classifies a message: topic, empty retained payload, JSON, schema, topic agreement", () => {
    const decode = (topic: string, payload: Uint8Array) => decodeTopicMessage("smarty", "ingestHealth", topic, payload);
    expect(decode("smarty/ingest/main/health", Buffer.alloc(0))).toEqual({
      kind: "cleared",
      params: { instance: "main" },
    });
    expect(decode("smarty/exporter/main/health", body(health))).toMatchObject({ kind: "rejected", reason: "topic" });
    expect(decode("smarty/M1/reading", body(health))).toMatchObject({ kind: "rejected", reason: "topic" });
    expect(decode("smarty/ingest/main/health", body("{"))).toMatchObject({ kind: "rejected", reason: "json" });
    expect(decode("smarty/ingest/main/health", body({}))).toMatchObject({ kind: "rejected", reason: "schema" });
    expect(decodeTopicMessage("smarty", "ingestStatus", "smarty/ingest/a/status", body("online"))).toEqual({
      kind: "message",
      params: { instance: "a" },
      value: "online",
    });
    // A command is not retained: an empty one is a bad command, not a deletion.
    expect(decodeTopicMessage("smarty", "notifierCommand", "smarty/notifier/cmd", Buffer.alloc(0))).toMatchObject({
      kind: "rejected",
      reason: "json",
    });
  });

  it("does not compile a payload that does not fit its topic", () => {
    // Checked by tsc, never run.
    const wrong = () => {
      // @ts-expect-error a statistics payload is not an ingest health payload
      topicMessage("smarty", "ingestHealth", { instance: "a" }, statistics);
      // @ts-expect-error status is "online" or "offline"
      topicMessage("smarty", "ingestStatus", { instance: "a" }, "away");
      // @ts-expect-error a reading topic needs its meter id
      topicMessage("smarty", "statistics", { instance: "a" }, statistics);
      // @ts-expect-error no such topic
      topicMessage("smarty", "readings", {}, {});
    };
    expect(wrong).toBeTypeOf("function");
  });
});
