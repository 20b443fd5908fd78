import type { MbusReading } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { type DiscoveryMessage, homeAssistantDiscovery } from "../src/home-assistant.js";
import { ABBREVIATIONS, expandAbbreviations, haMqttSensorSchema } from "./ha-sensor-schema.js";

const MEDIA: readonly [number, MbusReading["medium"], string][] = [
  [3, "gas", "m3"],
  [7, "water", "m3"],
  [6, "warm_water", "m3"],
  [4, "heat", "GJ"],
  [10, "cooling", "GJ"],
  [2, "electricity", "kWh"],
  [0, "other", "m3"],
  [15, "other", "MWh"],
];

/** Every entity the ingest can announce: all registry rows, every M-Bus device type, the frame counter. */
function everything(): DiscoveryMessage[] {
  const mbus: MbusReading[] = MEDIA.map(([device_type, medium, unit], i) => ({
    channel: (i % 4) + 1,
    device_type,
    medium,
    equipment_id: `EQ${i}`,
    value: 10 + i,
    unit,
    time: "2026-01-15T12:00:00+01:00",
    valve_state: 1,
    breaker_state: 1,
  }));
  return mbus.flatMap((m) =>
    homeAssistantDiscovery(
      {
        meter_id: "SAG1030700012701",
        header: "Lux5\\253694471_M",
        version: "42",
        mbus: [m],
        frame: { system_title: "5341470000000001", frame_counter: 7 },
      },
      { baseTopic: "smarty", instance: "main", expireAfterS: 360, origin: { swVersion: "0.1.0" } },
    ),
  );
}

describe("discovery payloads against Home Assistant's MQTT sensor schema", () => {
  const messages = everything();

  it("covers electricity, every M-Bus device type and the frame counter", () => {
    const classes = new Set(messages.map((m) => m.payload.device_class));
    for (const c of ["energy", "power", "voltage", "current", "gas", "water", "volume", "timestamp"]) {
      expect(classes, c).toContain(c);
    }
    expect(messages.some((m) => m.topic.endsWith("/frame_counter/config"))).toBe(true);
  });

  it("passes Home Assistant's rules: keys, device class units, state classes per device class", () => {
    const failures = messages.flatMap((m) => {
      const r = haMqttSensorSchema.safeParse(expandAbbreviations(m.payload));
      return r.success ? [] : [`${m.topic}: ${r.error.issues.map((i) => i.message).join("; ")}`];
    });
    expect(failures).toEqual([]);
  });

  it("would catch what older Home Assistant releases refuse", () => {
    const base = { state_topic: "t", unique_id: "u" };
    const bad = [
      { ...base, device_class: "reactive_power", unit_of_measurement: "kvar" },
      { ...base, device_class: "gas", unit_of_measurement: "m3", state_class: "total_increasing" },
      { ...base, device_class: "reactive_energy", unit_of_measurement: "kvarh" },
      { ...base, device_class: "timestamp", state_class: "measurement" },
      { ...base, entity_category: "config" },
      { ...base, stat_cla: "total_increasing", dev_cla: "power", unit_of_meas: "kW" },
      { ...base, unknown_key: 1 },
    ];
    for (const p of bad)
      expect(haMqttSensorSchema.safeParse(expandAbbreviations(p)).success, JSON.stringify(p)).toBe(false);
    expect(ABBREVIATIONS.stat_cla).toBe("state_class");
  });
});
