import { describe, expect, it } from "vitest";
import { findObis, findObisByKey, MBUS_REGISTRY, metricsOf, OBIS_REGISTRY } from "../src/index.js";

describe("OBIS registry", () => {
  it("names each code and each key once", () => {
    const codes = OBIS_REGISTRY.map((d) => d.code);
    const keys = OBIS_REGISTRY.map((d) => d.key);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of OBIS_REGISTRY) {
      expect(findObis(d.code)).toBe(d);
      expect(findObisByKey(d.key)).toBe(d);
    }
  });

  it("uses snake_case keys that do not collide with the reading's own fields", () => {
    const core = ["meter_id", "time", "version", "header", "crc", "obis", "mbus", "unparsed", "unknown_codes", "frame"];
    for (const d of [...OBIS_REGISTRY, ...MBUS_REGISTRY]) {
      expect(d.key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(core).not.toContain(d.key);
    }
  });

  it("gives metric names with the smarty_ prefix, _total only on counters", () => {
    for (const m of OBIS_REGISTRY.flatMap((d) => metricsOf(d))) {
      expect(m.name).toMatch(/^smarty_[a-z0-9_]+$/);
      expect(m.name.endsWith("_total")).toBe(m.type === "counter");
    }
  });

  it("contains the rows the Lux spec and DSMR 5 vectors need", () => {
    const needed = [
      "1-3:0.2.8",
      "0-0:1.0.0",
      "0-0:42.0.0",
      "1-0:1.8.0",
      "1-0:2.8.0",
      "1-0:3.8.0",
      "1-0:4.8.0",
      "1-0:1.7.0",
      "1-0:2.7.0",
      "1-0:3.7.0",
      "1-0:4.7.0",
      "0-0:17.0.0",
      "0-0:96.3.10",
      "0-0:96.7.21",
      "1-0:32.32.0",
      "1-0:52.32.0",
      "1-0:72.32.0",
      "1-0:32.36.0",
      "1-0:52.36.0",
      "1-0:72.36.0",
      "0-0:96.13.0",
      "0-0:96.13.2",
      "0-0:96.13.3",
      "0-0:96.13.4",
      "0-0:96.13.5",
      "1-0:31.7.0",
      "1-0:51.7.0",
      "1-0:71.7.0",
      "1-0:21.7.0",
      "1-0:41.7.0",
      "1-0:61.7.0",
      "1-0:22.7.0",
      "1-0:42.7.0",
      "1-0:62.7.0",
      "1-0:23.7.0",
      "1-0:43.7.0",
      "1-0:63.7.0",
      "1-0:24.7.0",
      "1-0:44.7.0",
      "1-0:64.7.0",
      "1-0:32.7.0",
      "1-0:52.7.0",
      "1-0:72.7.0",
      "1-0:9.7.0",
      "1-0:10.7.0",
      "1-1:31.4.0",
      "1-0:1.8.1",
      "1-0:1.8.2",
      "1-0:2.8.1",
      "1-0:2.8.2",
      "0-0:96.14.0",
      "0-0:96.7.9",
      "1-0:99.97.0",
      "0-0:96.1.1",
    ];
    for (const code of needed) expect(findObis(code), code).toBeDefined();
    expect(MBUS_REGISTRY.map((d) => d.code)).toEqual([
      "0-n:24.1.0",
      "0-n:96.1.0",
      "0-n:24.2.1",
      "0-n:24.2.3", // e-MUCS index
      "0-n:24.3.0", // DSMR 2.2/3.0 index, value on the next line
      "0-n:96.1.1", // e-MUCS id
      "0-n:24.4.0",
      "0-n:96.3.10",
    ]);
  });
});
