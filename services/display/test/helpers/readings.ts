/**
 * Test readings made the way the ingest makes them: a telegram written by the p1 encoder (with CRC), parsed by
 * `parseTelegram`. Expected values in tests are read off the telegram text (e.g. `1-0:1.7.0(02.345*kW)`).
 */
import { readFileSync } from "node:fs";
import { encodeTelegram, parseTelegram, type Reading, type TelegramSpec } from "@smarty/p1";

export const FIXTURES = new URL("../fixtures/", import.meta.url);

/** A reading parsed from a fixture telegram in test/fixtures/. */
export function fixtureReading(name: string): Reading {
  return parseTelegram(readFileSync(new URL(name, FIXTURES)));
}

export interface ReadingValues {
  readonly meterId?: string;
  readonly time?: number;
  readonly values?: TelegramSpec["values"];
  readonly mbus?: TelegramSpec["mbus"];
}

/** The Lux id `SAG1…` is sent hex-encoded in 0-0:42.0.0; the encoder hex-encodes text values itself. */
export function luxTelegram(v: ReadingValues): string {
  return encodeTelegram({
    header: "Lux5\\253663629_D",
    time: v.time ?? Date.UTC(2026, 3, 3, 15, 54, 31),
    values: {
      p1_version: "42",
      logical_device_name: v.meterId ?? "SAG1030700012701",
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
      ...v.values,
    },
    ...(v.mbus ? { mbus: v.mbus } : {}),
  });
}

export function luxReading(v: ReadingValues = {}): Reading {
  return parseTelegram(luxTelegram(v));
}
