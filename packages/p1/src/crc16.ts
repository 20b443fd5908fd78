/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final xor), computed over the telegram from `/` up to
 * and including `!` (DSMR 5.0.2 §6.2, Luxmetering P1 spec v1.1.3 §3.2.3). Sent as four upper-case hex digits.
 *
 * Every telegram is checked, so the loop reads four bytes per step ("slicing by 4", Intel's slicing-by-N method):
 * table k holds the CRC of byte i followed by k zero bytes, and four lookups replace four dependent steps.
 */

const TABLES = (() => {
  const t = new Uint16Array(4 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  for (let k = 1; k < 4; k++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(k - 1) * 256 + i]!;
      t[k * 256 + i] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
})();

/** CRC-16/ARC of `bytes[start, end)`. */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let crc = 0;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const x = crc ^ (bytes[i]! | (bytes[i + 1]! << 8));
    crc = t[768 + (x & 0xff)]! ^ t[512 + (x >>> 8)]! ^ t[256 + bytes[i + 2]!]! ^ t[bytes[i + 3]!]!;
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** The CRC as the telegram writes it: four upper-case hex digits. */
export function formatCrc(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, "0");
}
