import { describe, expect, it } from "vitest";
import { discoveryNodeId, homeAssistantDiscovery, homeAssistantSensorSchema } from "../src/home-assistant.js";

const lux = { meter_id: "SAG1030700012701", header: "Lux5\\253694471_M", version: "42", mbus: [] };

describe("Home Assistant discovery", () => {
  const all = homeAssistantDiscovery(lux, { baseTopic: "smarty", instance: "main" });
  const byId = new Map(all.map((m) => [m.payload.unique_id, m]));

  it("announces imported energy as a total_increasing energy sensor in kWh on its state topic", () => {
    const m = byId.get("smarty_SAG1030700012701_energy_import_kwh");
    expect(m?.topic).toBe("homeassistant/sensor/smarty_SAG1030700012701/energy_import_kwh/config");
    expect(m?.payload).toMatchObject({
      state_topic: "smarty/SAG1030700012701/state/energy_import_kwh",
      unit_of_measurement: "kWh",
      device_class: "energy",
      state_class: "total_increasing",
    });
  });

  it("announces power as a measurement in kW and voltage in V", () => {
    expect(byId.get("smarty_SAG1030700012701_power_import_kw")?.payload).toMatchObject({
      unit_of_measurement: "kW",
      device_class: "power",
      state_class: "measurement",
    });
    expect(byId.get("smarty_SAG1030700012701_voltage_l1_v")?.payload).toMatchObject({
      unit_of_measurement: "V",
      device_class: "voltage",
    });
  });

  it("needs both the ingest status and its health for availability, and groups everything under one device", () => {
    for (const m of all) {
      expect(homeAssistantSensorSchema.safeParse(m.payload).success).toBe(true);
      expect(m.payload.availability).toEqual([
        { topic: "smarty/ingest/main/status", payload_available: "online", payload_not_available: "offline" },
        {
          topic: "smarty/ingest/main/health",
          payload_available: "online",
          payload_not_available: "offline",
          value_template: "{{ 'online' if value_json.state == 'ok' else 'offline' }}",
        },
      ]);
      expect(m.payload.availability_mode).toBe("all");
      expect(m.payload.device.identifiers).toEqual(["smarty_SAG1030700012701"]);
    }
  });

  it("gives a two-value line one sensor per value with a value template", () => {
    expect(byId.get("smarty_SAG1030700012701_current_limit_a_1")?.payload.value_template).toBe("{{ value_json[0] }}");
    expect(byId.get("smarty_SAG1030700012701_current_limit_a_2")?.payload.value_template).toBe("{{ value_json[1] }}");
  });

  it("announces only the keys the meter sends when told, and never rows without a spec", () => {
    const some = homeAssistantDiscovery(
      { ...lux, meter_id: "M1" },
      {
        baseTopic: "smarty",
        instance: "main",
        prefix: "ha",
        keys: new Set(["energy_import_kwh", "timestamp", "p1_version"]),
      },
    );
    expect(some.map((m) => m.topic)).toEqual(["ha/sensor/smarty_M1/energy_import_kwh/config"]);
  });

  it("keeps a hostile meter id inside one topic level", () => {
    expect(discoveryNodeId("a/b#")).toBe("smarty_a_b_");
  });
});
