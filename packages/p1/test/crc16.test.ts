import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc16, formatCrc } from "../src/index.js";

/** CRC-16/ARC bit by bit, straight from the definition (poly 0x8005 reflected, init 0, no final xor). */
function reference(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

describe("crc16", () => {
  it("gives the CRC-16/ARC check value for '123456789' (0xBB3D)", () => {
    expect(crc16(Buffer.from("123456789"))).toBe(0xbb3d);
    expect(formatCrc(0xbb3d)).toBe("BB3D");
    expect(formatCrc(0x0a)).toBe("000A");
  });

  it("agrees with the bitwise definition for any bytes and any range", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (bytes.length === 0 ? 0 : b % (bytes.length - start + 1));
        expect(crc16(bytes, start, end)).toBe(reference(bytes.subarray(start, end)));
      }),
      { seed: 16, numRuns: 500 },
    );
  });
});
