/**
 * Every plaintext vector re-encrypted with a fixed test key and the Smarty AAD: it decrypts to the same reading,
 * and a frame made with another AAD or with none is rejected. The encoder itself is checked against the
 * synthetic vectors, which were produced independently (Python `cryptography`).
 */
import { createCipheriv } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuthenticationError, decodeFrame, encryptTelegram, parseTelegram } from "../src/index.js";
import {
  type EncryptedMeta,
  FIXTURES_DIR,
  PLAINTEXT_VECTORS,
  vectorBytes,
  vectorHex,
  vectorMeta,
} from "./helpers/vectors.js";

const TEST_KEY = Buffer.from("000102030405060708090A0B0C0D0E0F", "hex");
const SYSTEM_TITLE = Buffer.from("SAG\x67\x70\x01\xbd\x54", "latin1");
const OTHER_AK = Buffer.from("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF", "hex");

const telegrams: [string, Buffer][] = [
  ...PLAINTEXT_VECTORS.map((n): [string, Buffer] => [n, vectorBytes(`${n}.txt`)]),
  ["esphomelibs_encrypted_packet.plain", vectorBytes("esphomelibs_encrypted_packet.plain.txt")],
  ["lux-2018-firmware", readFileSync(join(FIXTURES_DIR, "telegrams", "lux-2018-firmware.txt"))],
];

/** The same frame layout, built with node:crypto directly and no AAD at all. */
function encryptWithoutAad(plain: Buffer, frameCounter: number): Buffer {
  const fcBytes = Buffer.alloc(4);
  fcBytes.writeUInt32BE(frameCounter);
  const cipher = createCipheriv("aes-128-gcm", TEST_KEY, Buffer.concat([SYSTEM_TITLE, fcBytes]), {
    authTagLength: 12,
  });
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(5 + body.length);
  return Buffer.concat([Buffer.of(0xdb, 0x08), SYSTEM_TITLE, Buffer.of(0x82), len, Buffer.of(0x30), fcBytes, body]);
}

describe.each(telegrams)("%s re-encrypted with a test key", (_name, plain) => {
  const frameCounter = 0x01020304;
  const frame = encryptTelegram(plain, { key: TEST_KEY, systemTitle: SYSTEM_TITLE, frameCounter });

  it("decrypts to the same bytes and the same reading as the plaintext", () => {
    const { reading, telegram } = decodeFrame({ kind: "encrypted", bytes: frame }, { key: TEST_KEY });
    expect(telegram.equals(plain)).toBe(true);
    expect(reading).toEqual({
      ...parseTelegram(plain),
      frame: { system_title: SYSTEM_TITLE.toString("hex"), frame_counter: frameCounter },
    });
    expect(frame.length).toBe(18 + plain.length + 12);
  });

  it("is rejected when made with another authentication key", () => {
    const other = encryptTelegram(plain, {
      key: TEST_KEY,
      systemTitle: SYSTEM_TITLE,
      frameCounter,
      authenticationKey: OTHER_AK,
    });
    expect(() => decodeFrame({ kind: "encrypted", bytes: other }, { key: TEST_KEY })).toThrow(AuthenticationError);
    expect(
      decodeFrame({ kind: "encrypted", bytes: other }, { key: TEST_KEY, authenticationKey: OTHER_AK }).telegram.equals(
        plain,
      ),
    ).toBe(true);
  });

  it("is rejected when made without AAD", () => {
    const bare = encryptWithoutAad(plain, frameCounter);
    expect(bare.subarray(0, 18)).toEqual(frame.subarray(0, 18));
    expect(bare.subarray(18, -12)).toEqual(frame.subarray(18, -12)); // same CTR stream, only the tag differs
    expect(() => decodeFrame({ kind: "encrypted", bytes: bare }, { key: TEST_KEY })).toThrow(AuthenticationError);
  });
});

describe("encryptTelegram against the independently made synthetic vectors", () => {
  it.each(["synthetic_lux_spec_v113_spec_aad", "synthetic_lux_meterlogger_spec_aad"])(
    "%s is reproduced byte for byte",
    (name) => {
      const meta = vectorMeta<EncryptedMeta>(name);
      const frame = encryptTelegram(vectorBytes(meta.expected_plaintext_file), {
        key: Buffer.from(meta.encryption_key_hex, "hex"),
        systemTitle: Buffer.from(meta.header.system_title_hex, "hex"),
        frameCounter: meta.header.frame_counter,
      });
      expect(frame.toString("hex")).toBe(vectorHex(name).toString("hex"));
    },
  );
});
