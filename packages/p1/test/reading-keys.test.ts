/**
 * The registry's keys are a literal union: a reading's named values are typed from it, and a misspelt or removed key
 * fails to compile wherever it is used (tsc checks this file; each `@ts-expect-error` must meet an error).
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  encodeTelegram,
  netPowerKw,
  netPowerW,
  type ObisKey,
  type PowerFailureEvent,
  parseTelegram,
  phaseNumbers,
  type Reading,
  readingNumber,
  readingText,
} from "../src/index.js";

const reading = (values: Partial<Record<ObisKey, unknown>>): Reading =>
  ({
    meter_id: "m",
    time: null,
    version: null,
    header: "h",
    crc: null,
    obis: {},
    mbus: [],
    unparsed: [],
    unknown_codes: [],
    ...values,
  }) as Reading;

describe("registry keys", () => {
  it("types each named value from its registry row", () => {
    const r = reading({});
    expectTypeOf(r.power_import_kw).toEqualTypeOf<number | undefined>();
    expectTypeOf(r.voltage_l3_v).toEqualTypeOf<number | undefined>();
    expectTypeOf(r.energy_import_tariff2_kwh).toEqualTypeOf<number | undefined>();
    expectTypeOf(r.long_message_5).toEqualTypeOf<string | undefined>();
    expectTypeOf(r.power_failure_log).toEqualTypeOf<readonly PowerFailureEvent[] | undefined>();
    expectTypeOf<"voltage_sags_l2">().toExtend<ObisKey>();
  });

  it("rejects a key the registry does not have, at compile time", () => {
    const r = reading({ power_import_kw: 1.5 });
    // @ts-expect-error: a typo in a registry key does not compile
    expect(readingNumber(r, "power_imprt_kw")).toBeUndefined();
    // @ts-expect-error: there is no fourth phase
    expect(readingText(r, "voltage_l4_v")).toBeUndefined();
    // @ts-expect-error: named values are read by their registry key only
    expect(r.power_import_watts).toBeUndefined();
    expect(readingNumber(r, "power_import_kw")).toBe(1.5);
  });

  it("rejects a key the registry does not have in a telegram to encode, at compile time", () => {
    // @ts-expect-error: the simulator and the tests name values by registry key too
    const text = encodeTelegram({ header: "ISK5\\2M550T-1012", values: { power_imprt_kw: 1 } });
    expect(parseTelegram(text).power_import_kw).toBeUndefined();
  });
});

describe("net power", () => {
  it("is import minus export, in kW and in whole W, for the meter and each phase", () => {
    const r = reading({ power_import_kw: 0.005, power_export_kw: 0, power_import_l2_kw: 0, power_export_l2_kw: 1.234 });
    expect(netPowerKw(r)).toBe(0.005);
    expect(netPowerW(r)).toBe(5);
    expect(netPowerW(r, 2)).toBe(-1234);
    expect(netPowerW(r, 1)).toBeUndefined();
  });

  it("counts a missing side as 0 and is undefined when both are missing", () => {
    expect(netPowerW(reading({ power_export_kw: 0.897 }))).toBe(-897);
    expect(netPowerKw(reading({}))).toBeUndefined();
  });

  it("agrees with the parser's named values", () => {
    const text = "/ISK5\\2M550T-1012\r\n\r\n1-0:1.7.0(01.193*kW)\r\n1-0:2.7.0(00.000*kW)\r\n!";
    expect(netPowerW(parseTelegram(text, { verifyCrc: false }))).toBe(1193);
  });
});

describe("per-phase values", () => {
  it("reads one quantity on L1 to L3 from its key template", () => {
    const r = reading({ voltage_l1_v: 229.8, voltage_l3_v: 231.2 });
    expect(phaseNumbers(r, "voltage_l#_v")).toEqual([229.8, undefined, 231.2]);
    // @ts-expect-error: a template that names no per-phase registry key does not compile
    expect(phaseNumbers(r, "voltage_l#_volts")).toEqual([undefined, undefined, undefined]);
  });
});
