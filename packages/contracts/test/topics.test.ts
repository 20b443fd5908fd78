import { describe, expect, it } from "vitest";
import { filters, parseTopic, topicSegment, topics } from "../src/topics.js";

describe("topics", () => {
  it("builds every topic of the tree under the base", () => {
    expect(topics.reading("smarty", "SAG1030700012701")).toBe("smarty/SAG1030700012701/reading");
    expect(topics.state("smarty", "M1", "energy_import_kwh")).toBe("smarty/M1/state/energy_import_kwh");
    expect(topics.statistics("home/smarty", "M1")).toBe("home/smarty/M1/statistics");
    expect(topics.alert("smarty", "M1", "power_high")).toBe("smarty/alerts/M1/power_high");
    expect(topics.status("smarty", "ingest", "main")).toBe("smarty/ingest/main/status");
    expect(topics.health("smarty", "ingest", "main")).toBe("smarty/ingest/main/health");
    expect(topics.notifierCommand("smarty")).toBe("smarty/notifier/cmd");
    expect(topics.discovery("homeassistant", "smarty_M1", "energy_import_kwh")).toBe(
      "homeassistant/sensor/smarty_M1/energy_import_kwh/config",
    );
  });

  it("never lets a meter id inject topic levels or wildcards", () => {
    expect(topicSegment("a/b+c#d e")).toBe("a_b_c_d_e");
    expect(topicSegment("")).toBe("_");
    expect(topicSegment("ingest")).toBe("meter_ingest");
    expect(topics.reading("smarty", "alerts")).toBe("smarty/meter_alerts/reading");
  });

  it("parses what it builds, and nothing else", () => {
    expect(parseTopic("smarty", topics.reading("smarty", "M1"))).toEqual({ type: "reading", meterId: "M1" });
    expect(parseTopic("smarty", topics.state("smarty", "M1", "k"))).toEqual({ type: "state", meterId: "M1", key: "k" });
    expect(parseTopic("smarty", topics.alert("smarty", "M1", "x"))).toEqual({
      type: "alert",
      meterId: "M1",
      alertId: "x",
    });
    expect(parseTopic("smarty", topics.health("smarty", "ingest", "a"))).toEqual({
      type: "health",
      service: "ingest",
      instance: "a",
    });
    expect(parseTopic("smarty", "smarty/notifier/cmd")).toEqual({ type: "command" });
    expect(parseTopic("smarty", "smarty/notifier/cmd/response")).toEqual({ type: "response" });
    expect(parseTopic("smarty", "other/M1/reading")).toBeUndefined();
    expect(parseTopic("smarty", "smarty/M1/reading/extra")).toBeUndefined();
    expect(parseTopic("smarty", "smarty/ingest/a/other")).toBeUndefined();
  });

  it("offers wildcard filters for consumers", () => {
    expect(filters.readings("smarty")).toBe("smarty/+/reading");
    expect(filters.alerts("smarty")).toBe("smarty/alerts/#");
    expect(filters.status("smarty", "ingest")).toBe("smarty/ingest/+/status");
  });
});
