/**
 * Hostile telegrams for the soak, made from a genuine one: a register changed or the meter time moved, each with a
 * correct CRC-16 (DSMR 5.0.2 §6.2: over every byte from '/' to '!'), so only the checks under test can refuse them.
 */
import { crc16, formatCrc } from "@smarty/p1";

/** The telegram up to and including '!', with the CRC recomputed. */
export function withCrc(telegram: string): string {
  const end = telegram.indexOf("!");
  if (end < 0) throw new Error("telegram without '!'");
  const body = telegram.slice(0, end + 1);
  return `${body}${formatCrc(crc16(Buffer.from(body, "latin1")))}\r\n`;
}

/** Moves the telegram time (0-0:1.0.0, YYMMDDhhmmssX, DSMR 5.0.2 §6.12) `years` ahead; month, day and hour stay. */
export function yearsAhead(telegram: string, years: number): string {
  const m = /0-0:1\.0\.0\((\d{2})(\d{10}[SW])\)/.exec(telegram);
  if (!m) throw new Error("telegram without 0-0:1.0.0");
  const yy = String((Number(m[1]) + years) % 100).padStart(2, "0");
  return withCrc(telegram.replace(m[0], `0-0:1.0.0(${yy}${m[2]})`));
}

/** Adds `kwh` to the total import register (1-0:1.8.0, kWh with 3 decimals). */
export function importRaised(telegram: string, kwh: number): string {
  const m = /1-0:1\.8\.0\((\d+\.\d{3})\*kWh\)/.exec(telegram);
  if (!m) throw new Error("telegram without 1-0:1.8.0");
  const value = (Number(m[1]) + kwh).toFixed(3).padStart(m[1]?.length ?? 10, "0");
  return withCrc(telegram.replace(m[0], `1-0:1.8.0(${value}*kWh)`));
}
