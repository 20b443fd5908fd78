/**
 * A synthetic Smarty meter for tests: telegram i has values chosen here, in integer thousandths, so the expected
 * reading is computed from the same integers and never by running the decoder under test.
 */

import type { TelegramSpec } from "@smarty/p1";
import { encryptTelegram } from "@smarty/p1";
import { telegramSpec as builderSpec, buildTelegram, type ReadingSpec } from "./reading-builder.js";

/** Test key (never a real meter's). */
export const KEY_HEX = "000102030405060708090A0B0C0D0E0F";
export const KEY = Buffer.from(KEY_HEX, "hex");
export const WRONG_KEY_HEX = "FFEEDDCCBBAA99887766554433221100";
export const METER_ID = "SAG1030700012701";
/** "SAG" + 5 bytes, as Sagemcom Smarty meters start their system title. */
export const SYSTEM_TITLE = Buffer.from("5341476770012345", "hex");
export const SYSTEM_TITLE_HEX = SYSTEM_TITLE.toString("hex");
export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
export const FIRST_COUNTER = 1000;

/** What telegram i says, as the subscriber must see it. */
export function expected(i: number) {
  return {
    meter_id: METER_ID,
    time_ms: T0 + i * 10_000,
    energy_import_kwh: (1_000_000 + 2 * i) / 1000,
    energy_export_kwh: 12_345 / 1000,
    power_import_kw: (500 + (i % 50)) / 1000,
    voltage_l1_v: (2300 + (i % 20)) / 10,
    current_l1_a: 2 + (i % 3),
    frame_counter: FIRST_COUNTER + i,
  };
}

function readingSpec(i: number): ReadingSpec {
  const e = expected(i);
  return {
    header: "Lux5\\253694471_M",
    meterId: METER_ID,
    time: e.time_ms,
    base: "none",
    values: {
      energy_import_kwh: e.energy_import_kwh,
      energy_export_kwh: e.energy_export_kwh,
      power_import_kw: e.power_import_kw,
      power_export_kw: 0,
      current_limit_a: [100, -63],
      voltage_l1_v: e.voltage_l1_v,
      current_l1_a: e.current_l1_a,
      power_failures: 3,
    },
  };
}

/** Telegram i as an encoder spec, for tests that add to it (M-Bus channels). */
export function telegramSpec(i: number): TelegramSpec {
  return builderSpec(readingSpec(i));
}

export function plainTelegram(i: number): string {
  return buildTelegram(readingSpec(i));
}

export interface FrameOptions {
  readonly key?: Buffer;
  readonly counter?: number;
  readonly systemTitle?: Buffer;
}

export function encryptedFrame(i: number, options: FrameOptions = {}): Buffer {
  return encryptTelegram(plainTelegram(i), {
    key: options.key ?? KEY,
    systemTitle: options.systemTitle ?? SYSTEM_TITLE,
    frameCounter: options.counter ?? FIRST_COUNTER + i,
  });
}

/** Frames first…first+count-1, concatenated as a capture file. */
export function capture(first: number, count: number): Buffer {
  return Buffer.concat(Array.from({ length: count }, (_, k) => encryptedFrame(first + k)));
}

/** A reading as received on MQTT, reduced to the fields `expected()` gives. */
export function essentials(r: Record<string, unknown>) {
  return {
    meter_id: r.meter_id,
    time_ms: Date.parse(String(r.time)),
    energy_import_kwh: r.energy_import_kwh,
    energy_export_kwh: r.energy_export_kwh,
    power_import_kw: r.power_import_kw,
    voltage_l1_v: r.voltage_l1_v,
    current_l1_a: r.current_l1_a,
    frame_counter: (r.frame as { frame_counter?: number } | undefined)?.frame_counter,
  };
}
