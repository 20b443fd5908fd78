/**
 * The one way tests make a reading. Values are named by OBIS registry key (`Reading`'s named values from
 * @smarty/p1), so a misspelt or removed key does not compile. By default the reading goes through the wire format a
 * meter uses: named values → telegram text with CRC (the p1 encoder, DSMR 5.0.2 §6.2) → `parseTelegram`, so the
 * meter's rounding and units apply. `wire: false` assembles the same reading without a telegram, for long simulated
 * series whose hand-computed totals need the exact numbers (no CRC, no `obis` lines).
 *
 * Expected values in tests come from the values a test writes here, or from the telegram text, never from the code
 * under test.
 */
import {
  formatTelegram,
  type MbusReading,
  type MbusSpec,
  mbusMedium,
  parseTelegram,
  type Reading,
  type TelegramSpec,
  telegramLines,
  toLuxembourgIso,
} from "@smarty/p1";
import { type GoldenName, telegramFixture } from "./fixtures.js";

/** Named values by registry key, in the registry unit (text values are hex-encoded on the wire by the encoder). */
export type ReadingValues = TelegramSpec["values"];

export interface ReadingSpec {
  /** `0-0:42.0.0`, sent hex-encoded as Lux meters do (Luxmetering P1 spec v1.1.3 §4). */
  readonly meterId?: string;
  /** Telegram time, ms since epoch; written as Luxembourg local time with S/W. */
  readonly time?: number;
  /** Identification line without `/`. */
  readonly header?: string;
  /** "lux": a full three-phase Lux telegram (LUX_VALUES) under `values`; "none": only version and meter id. */
  readonly base?: "lux" | "none";
  readonly values?: ReadingValues;
  readonly mbus?: readonly MbusSpec[];
  /** OBIS lines the encoder does not write, appended as sent (e.g. `0-1:96.3.10(0)`, a channel's breaker). */
  readonly extraLines?: readonly string[];
  /** Leave these units out, like 2018 Lux firmware. */
  readonly omitUnitsFor?: TelegramSpec["omitUnitsFor"];
  /** false: build the reading directly with exact values (no telegram, `crc` null, `obis` empty). */
  readonly wire?: boolean;
}

/** The meter id of the meterlogger 2026 vector, `SAG1030700012701`. */
export const LUX_METER_ID = "SAG1030700012701";
export const LUX_HEADER = "Lux5\\253663629_D";
/** 3 April 2026, 17:54:31 in Luxembourg (CEST), the meterlogger vector's time. */
export const LUX_TIME = Date.UTC(2026, 3, 3, 15, 54, 31);

/** A quiet Lux household importing 0.5 kW on three phases; values in the registry units. */
export const LUX_VALUES: ReadingValues = {
  energy_import_kwh: 273.764,
  energy_export_kwh: 12.03,
  power_import_kw: 0.5,
  power_export_kw: 0,
  power_limit_kva: 27.6,
  current_limit_a: [40, -40],
  voltage_l1_v: 231,
  voltage_l2_v: 229,
  voltage_l3_v: 230,
  current_l1_a: 1,
  current_l2_a: 1,
  current_l3_a: 1,
  power_import_l1_kw: 0.2,
  power_import_l2_kw: 0.2,
  power_import_l3_kw: 0.1,
  power_export_l1_kw: 0,
  power_export_l2_kw: 0,
  power_export_l3_kw: 0,
  long_message: "",
};

/** The encoder's input for a spec: version `42`, the meter id, the base values, then the spec's own. */
export function telegramSpec(spec: ReadingSpec = {}): TelegramSpec {
  return {
    header: spec.header ?? LUX_HEADER,
    time: spec.time ?? LUX_TIME,
    values: {
      p1_version: "42",
      logical_device_name: spec.meterId ?? LUX_METER_ID,
      ...(spec.base === "none" ? {} : LUX_VALUES),
      ...spec.values,
    },
    ...(spec.mbus ? { mbus: spec.mbus } : {}),
    ...(spec.omitUnitsFor ? { omitUnitsFor: spec.omitUnitsFor } : {}),
  };
}

/** The telegram text, with a valid CRC. */
export function buildTelegram(spec: ReadingSpec = {}): string {
  const t = telegramSpec(spec);
  return formatTelegram(t.header, [...telegramLines(t), ...(spec.extraLines ?? [])]);
}

/** The reading a meter sending these values gives (see the module comment for `wire: false`). */
export function buildReading(spec: ReadingSpec = {}): Reading {
  if (spec.wire === false) return exactReading(spec);
  return parseTelegram(buildTelegram(spec));
}

/** The reading of a telegram of the fixture set, parsed as ingest parses it. */
export function fixtureReading(name: GoldenName): Reading {
  return parseTelegram(telegramFixture(name));
}

function exactReading(spec: ReadingSpec): Reading {
  if (spec.extraLines || spec.omitUnitsFor) throw new Error("extraLines and omitUnitsFor need the wire format");
  const t = telegramSpec(spec);
  const time = t.time === undefined ? null : toLuxembourgIso(t.time);
  const mbus: MbusReading[] = (t.mbus ?? [])
    .filter((m) => m.value !== undefined && m.time !== undefined)
    .map((m) => ({
      channel: m.channel,
      device_type: m.device_type,
      medium: mbusMedium(m.device_type),
      ...(m.equipment_id === undefined ? {} : { equipment_id: m.equipment_id }),
      value: m.value!,
      unit: m.unit ?? "m3",
      time: toLuxembourgIso(m.time!),
      ...(m.valve_state === undefined ? {} : { valve_state: m.valve_state }),
      ...(m.breaker_state === undefined ? {} : { breaker_state: m.breaker_state }),
    }));
  return {
    meter_id: spec.meterId ?? LUX_METER_ID,
    time,
    version: "42",
    header: t.header,
    crc: null,
    obis: {},
    mbus,
    unparsed: [],
    unknown_codes: [],
    ...(time === null ? {} : { timestamp: time }),
    ...t.values,
  } as Reading;
}
