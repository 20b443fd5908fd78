import type { Reading } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { DiscoveryTracker } from "../../src/publish/discovery-tracker.js";

const gas = { channel: 1, device_type: 3, medium: "gas" as const, value: 12.5, unit: "m3" };
const reading = (mbus: Reading["mbus"]) =>
  ({ meter_id: "M1", header: "KFM5X", version: "50", mbus, energy_import_kwh: 1 }) as unknown as Reading;
const keys = new Set(["energy_import_kwh"]);
const tracker = (enabled = true) =>
  new DiscoveryTracker({
    baseTopic: "smarty",
    instance: "main",
    prefix: "homeassistant",
    enabled,
    removeAfterReadings: 2,
  });
const topic = (object: string) => `homeassistant/sensor/smarty_M1/${object}/config`;

describe("DiscoveryTracker", () => {
  it("announces once, again only when a config changes", () => {
    const t = tracker();
    const first = t.forReading(reading([gas]), keys).out.map(([tp]) => tp);
    expect(first).toEqual([topic("energy_import_kwh"), topic("mbus1_value"), topic("mbus1_device_type")]);
    expect(t.forReading(reading([gas]), keys).out).toEqual([]);
    const changed = t.forReading(reading([{ ...gas, unit: "GJ" }]), keys).out.map(([tp]) => tp);
    expect(changed).toEqual([topic("mbus1_value")]);
  });

  it("removes an entity with an empty config after it is missing from readings in a row", () => {
    const t = tracker();
    t.forReading(reading([gas]), keys);
    expect(t.forReading(reading([]), keys).out).toEqual([]);
    const second = t.forReading(reading([]), keys);
    expect(second.out).toEqual([
      [topic("mbus1_value"), ""],
      [topic("mbus1_device_type"), ""],
    ]);
    expect(second.removed).toBe(2);
    expect(t.forReading(reading([]), keys).out).toEqual([]);
  });

  it("removes configs read back from an earlier run that the meter no longer gives", () => {
    const t = tracker();
    const own = JSON.stringify({ unique_id: "smarty_M1_old", availability: [{ topic: "smarty/ingest/main/status" }] });
    const foreign = JSON.stringify({ unique_id: "smarty_M1_x", availability: [{ topic: "smarty/ingest/b/status" }] });
    t.retained(topic("old"), Buffer.from(own));
    t.retained(topic("x"), Buffer.from(foreign));
    t.forReading(reading([]), keys);
    expect(t.forReading(reading([]), keys).out).toEqual([[topic("old"), ""]]);
  });

  it("with discovery off, removes every own config once read back, and announces nothing", () => {
    const t = tracker(false);
    const own = JSON.stringify({ unique_id: "smarty_M1_a", availability: [{ topic: "smarty/ingest/main/status" }] });
    t.retained(topic("a"), Buffer.from(own));
    t.retained("homeassistant/sensor/other/b/config", Buffer.from("not json"));
    expect(t.forReading(reading([gas]), keys).out).toEqual([]);
    expect(t.restored()).toEqual([[topic("a"), ""]]);
    expect(t.restored()).toEqual([]);
  });
});
