/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final xor), computed over the telegram from `/` up to
 * and including `!` (DSMR 5.0.2 §6.2, Luxmetering P1 spec v1.1.3 §3.2.3). Sent as four upper-case hex digits.
 */

const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** CRC-16/ARC of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** The CRC as the telegram writes it: four upper-case hex digits. */
export function formatCrc(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, "0");
}
