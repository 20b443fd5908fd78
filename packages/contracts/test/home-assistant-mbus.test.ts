import type { MbusReading } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import { homeAssistantDiscovery } from "../src/home-assistant.js";
import { stateValues } from "../src/state.js";

const gas: MbusReading = {
  channel: 1,
  device_type: 3,
  medium: "gas",
  equipment_id: "FLO189900060355",
  value: 1234.567,
  unit: "m3",
  time: "2020-07-06T10:31:40+02:00",
  valve_state: 1,
};
const water: MbusReading = { channel: 2, device_type: 7, medium: "water", value: 56.25, unit: "m3" };
const heat: MbusReading = { channel: 3, device_type: 4, medium: "heat", value: 12.5, unit: "GJ" };
const reading = { meter_id: "SAG1", header: "Lux5\\253694471_M", version: "42", mbus: [gas, water, heat] };
const byId = new Map(
  homeAssistantDiscovery(reading, { baseTopic: "smarty", instance: "main" }).map((m) => [m.payload.unique_id, m]),
);

describe("Home Assistant discovery of M-Bus channels", () => {
  it("announces a gas meter for the Energy dashboard: gas, total_increasing, m³, on its state topic", () => {
    const m = byId.get("smarty_SAG1_mbus1_value");
    expect(m?.topic).toBe("homeassistant/sensor/smarty_SAG1/mbus1_value/config");
    expect(m?.payload).toMatchObject({
      name: "Gas (M-Bus 1)",
      state_topic: "smarty/SAG1/state/mbus1_value",
      device_class: "gas",
      state_class: "total_increasing",
      unit_of_measurement: "m³",
    });
    expect(m?.payload.entity_category).toBeUndefined();
  });

  it("announces water in m³ and heat as energy in GJ", () => {
    expect(byId.get("smarty_SAG1_mbus2_value")?.payload).toMatchObject({
      device_class: "water",
      state_class: "total_increasing",
      unit_of_measurement: "m³",
    });
    expect(byId.get("smarty_SAG1_mbus3_value")?.payload).toMatchObject({
      device_class: "energy",
      state_class: "total_increasing",
      unit_of_measurement: "GJ",
    });
  });

  it("keeps capture time, valve and identity of a channel as diagnostics", () => {
    expect(byId.get("smarty_SAG1_mbus1_time")?.payload).toMatchObject({
      device_class: "timestamp",
      entity_category: "diagnostic",
    });
    expect(byId.get("smarty_SAG1_mbus1_valve_state")?.payload).toMatchObject({
      entity_category: "diagnostic",
      enabled_by_default: false,
    });
    expect(byId.get("smarty_SAG1_mbus1_equipment_id")?.payload.enabled_by_default).toBe(false);
  });

  it("publishes the channel values on state topics; the reading keeps the meter's unit text m3", () => {
    const values = Object.fromEntries(stateValues({ ...reading, mbus: [gas] } as never).map((v) => [v.key, v.value]));
    expect(values).toMatchObject({
      mbus1_value: "1234.567",
      mbus1_time: "2020-07-06T10:31:40+02:00",
      mbus1_valve_state: "1",
      mbus1_equipment_id: "FLO189900060355",
      mbus1_device_type: "3",
    });
    expect(gas.unit).toBe("m3");
  });
});
