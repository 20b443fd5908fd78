import { describe, expect, it } from "vitest";
import { homeAssistantDiscovery, isOwnDiscoveryConfig, meterManufacturer } from "../src/home-assistant.js";

const lux = { meter_id: "SAG1030700012701", header: "Lux5\\253694471_M", version: "42", mbus: [] };
const all = homeAssistantDiscovery(lux, {
  baseTopic: "smarty",
  instance: "main",
  expireAfterS: 360,
  origin: { swVersion: "1.2.3", supportUrl: "https://example.org/smarty" },
});
const byKey = new Map(all.map((m) => [m.topic.split("/")[3], m.payload]));

describe("Home Assistant discovery hygiene", () => {
  it("marks reactive values, limits, event counters and long messages 2–5 as diagnostics", () => {
    for (const key of [
      "reactive_power_import_kvar",
      "reactive_energy_import_kvarh",
      "power_limit_kva",
      "current_limit_a_1",
      "power_failures",
      "voltage_sags_l1",
      "long_message_2",
      "long_message_5",
    ]) {
      expect(byKey.get(key)?.entity_category, key).toBe("diagnostic");
    }
    for (const key of ["energy_import_kwh", "power_import_kw", "voltage_l1_v", "long_message"]) {
      expect(byKey.get(key)?.entity_category, key).toBeUndefined();
    }
  });

  it("leaves rarely used entities disabled by default", () => {
    for (const key of ["reactive_power_import_l1_kvar", "reactive_energy_export_kvarh", "long_message_3"]) {
      expect(byKey.get(key)?.enabled_by_default, key).toBe(false);
    }
    expect(byKey.get("energy_import_kwh")?.enabled_by_default).toBeUndefined();
  });

  it("cuts the long message to Home Assistant's 255-character state limit", () => {
    expect(byKey.get("long_message")?.value_template).toBe("{{ value[:255] }}");
    expect(byKey.get("long_message_2")?.value_template).toBe("{{ value[:255] }}");
  });

  it("names each value of a two-value line without '(value n)'", () => {
    expect(byKey.get("current_limit_a_1")?.name).toBe("Current limit, import");
    expect(byKey.get("current_limit_a_2")?.name).toBe("Current limit, export");
    expect(all.filter((m) => /\(value \d\)/.test(m.payload.name))).toEqual([]);
  });

  it("gives origin its version and URL, expire_after, and the manufacturer from the FLAG id", () => {
    const p = byKey.get("energy_import_kwh");
    expect(p?.origin).toEqual({ name: "smarty", sw_version: "1.2.3", support_url: "https://example.org/smarty" });
    expect(p?.expire_after).toBe(360);
    expect(p?.device.manufacturer).toBe("Sagemcom");
  });

  it("names manufacturers from the header code, falling back to the code itself", () => {
    expect(meterManufacturer("KFM5KAIFA-METER", "E0026")).toBe("Kaifa");
    expect(meterManufacturer("ISk5\\2MT382-1000", "x")).toBe("Iskraemeco");
    expect(meterManufacturer("SAG5\\x", "x")).toBe("Sagemcom");
    expect(meterManufacturer("XYZ5abc", "123")).toBe("XYZ");
    expect(meterManufacturer("Lux5\\253694471_M", "1234")).toBe("Lux");
  });

  it("recognises its own retained configs by unique id and status topic, and no one else's", () => {
    const own = byKey.get("energy_import_kwh");
    expect(isOwnDiscoveryConfig(own, "smarty", "main")).toBe(true);
    expect(isOwnDiscoveryConfig(own, "smarty", "other")).toBe(false);
    expect(isOwnDiscoveryConfig({ unique_id: "zigbee_1", availability: own?.availability }, "smarty", "main")).toBe(
      false,
    );
  });
});
