/**
 * Encoder for tests and the simulator: named values → DSMR telegram text with CRC (DSMR 5.0.2 §6.2) →
 * encrypted Smarty frame (Luxmetering P1 spec v1.1.3 §3.3). Lines are written in registry order with the
 * meter's zero padding, so a simulated telegram looks like a real one.
 */
import { createCipheriv } from "node:crypto";
import { crc16, formatCrc } from "./crc16.js";
import { DEFAULT_AUTHENTICATION_KEY, GCM_TAG_BYTES } from "./decrypt.js";
import { DUMMY_MBUS_TIME, formatDsmrTime } from "./dsmr-time.js";
import { MBUS_REGISTRY } from "./mbus-registry.js";
import { OBIS_REGISTRY, type ObisKey } from "./obis-registry.js";
import type { ObisDefinition, WireFormat } from "./obis-types.js";

export interface MbusSpec {
  readonly channel: number;
  readonly device_type: number;
  readonly equipment_id?: string;
  /** Index in `unit`; omitted for an unconfigured channel (dummy time, no unit). */
  readonly value?: number;
  readonly unit?: string;
  /** Capture time, ms since epoch. */
  readonly time?: number;
  readonly valve_state?: number;
  readonly breaker_state?: number;
}

export interface TelegramSpec {
  /** Identification without `/`, e.g. `Lux5\253694471_M`. */
  readonly header: string;
  /** Telegram time, ms since epoch (written as Luxembourg local time with S/W). */
  readonly time?: number;
  /** Named values by registry key, in the registry unit; text values are hex-encoded where the meter does so. */
  readonly values: Readonly<Partial<Record<ObisKey, number | string | readonly number[]>>>;
  readonly mbus?: readonly MbusSpec[];
  /** Write these units as the meter would (true) or leave them out like 2018 Lux firmware for `keys`. */
  readonly omitUnitsFor?: readonly ObisKey[];
}

/** Formats a number with the meter's padding: `{int: 6, dec: 3}` writes 25.653 as `000025.653`. */
export function formatWireNumber(value: number, wire: WireFormat = { int: 1, dec: 3 }): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value).toFixed(wire.dec);
  const [i, d] = abs.split(".");
  return sign + i!.padStart(wire.int, "0") + (d === undefined ? "" : `.${d}`);
}

function hexText(s: string): string {
  return Buffer.from(s, "latin1").toString("hex").toUpperCase();
}

function part(def: ObisDefinition, v: number | string, omitUnit: boolean): string {
  if (typeof v === "string") return def.hexText ? hexText(v) : v;
  const n = formatWireNumber(v, def.wire);
  return def.unit && !omitUnit ? `${n}*${def.unit}` : n;
}

/** Builds the OBIS lines of a spec in registry order. */
export function telegramLines(spec: TelegramSpec): string[] {
  const lines: string[] = [];
  const omit = new Set(spec.omitUnitsFor ?? []);
  for (const def of OBIS_REGISTRY) {
    if (def.key === "timestamp") {
      if (spec.time !== undefined) lines.push(`${def.code}(${formatDsmrTime(spec.time)})`);
      continue;
    }
    const v = spec.values[def.key];
    if (v === undefined) continue;
    const values = Array.isArray(v) ? (v as readonly number[]) : [v as number | string];
    lines.push(def.code + values.map((x) => `(${part(def, x, omit.has(def.key))})`).join(""));
  }
  for (const m of spec.mbus ?? []) lines.push(...mbusLines(m));
  return lines;
}

function mbusLines(m: MbusSpec): string[] {
  const code = (suffix: string) => `0-${m.channel}:${suffix}`;
  const wire = (key: string) => MBUS_REGISTRY.find((d) => d.key === key)!.wire;
  const lines = [`${code("24.1.0")}(${String(m.device_type).padStart(3, "0")})`];
  lines.push(`${code("96.1.0")}(${m.equipment_id ? hexText(m.equipment_id) : ""})`);
  if (m.value !== undefined && m.time !== undefined) {
    lines.push(
      `${code("24.2.1")}(${formatDsmrTime(m.time)})(${formatWireNumber(m.value, wire("value"))}*${m.unit ?? "m3"})`,
    );
  } else {
    lines.push(`${code("24.2.1")}(${DUMMY_MBUS_TIME})(${formatWireNumber(0, wire("value"))})`);
  }
  if (m.valve_state !== undefined) lines.push(`${code("24.4.0")}(${m.valve_state})`);
  return lines;
}

/** Wraps lines into a telegram: `/header`, empty line, lines, `!CRC`, each ending CR LF. */
export function formatTelegram(header: string, lines: readonly string[]): string {
  const body = `/${header}\r\n\r\n${lines.map((l) => `${l}\r\n`).join("")}!`;
  return `${body}${formatCrc(crc16(Buffer.from(body, "latin1")))}\r\n`;
}

/** Named values → telegram text with a valid CRC. */
export function encodeTelegram(spec: TelegramSpec): string {
  return formatTelegram(spec.header, telegramLines(spec));
}

export interface EncryptOptions {
  readonly key: Uint8Array;
  /** 8 bytes. */
  readonly systemTitle: Uint8Array;
  readonly frameCounter: number;
  readonly authenticationKey?: Uint8Array;
}

/** Encrypts a telegram into a Smarty frame `DB 08 ST 82 L 30 FC ciphertext tag`. */
export function encryptTelegram(telegram: Uint8Array | string, options: EncryptOptions): Buffer {
  const plain = typeof telegram === "string" ? Buffer.from(telegram, "latin1") : Buffer.from(telegram);
  if (options.systemTitle.length !== 8) throw new RangeError("system title must be 8 bytes");
  const fc = Buffer.alloc(4);
  fc.writeUInt32BE(options.frameCounter >>> 0);
  const iv = Buffer.concat([options.systemTitle, fc]);
  const cipher = createCipheriv("aes-128-gcm", options.key, iv, { authTagLength: GCM_TAG_BYTES });
  cipher.setAAD(
    Buffer.concat([Buffer.of(0x30), options.authenticationKey ?? Buffer.from(DEFAULT_AUTHENTICATION_KEY, "hex")]),
  );
  const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
  const tag = cipher.getAuthTag();
  const len = Buffer.alloc(2);
  len.writeUInt16BE(5 + ct.length + tag.length);
  return Buffer.concat([
    Buffer.of(0xdb, 0x08),
    options.systemTitle,
    Buffer.of(0x82),
    len,
    Buffer.of(0x30),
    fc,
    ct,
    tag,
  ]);
}
