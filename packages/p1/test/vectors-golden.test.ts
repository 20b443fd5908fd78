/**
 * Each telegram of the fixture set gives exactly its golden reading: every field, every OBIS line, every M-Bus
 * channel. The goldens (packages/testkit/fixtures/golden) are written by scripts/golden.mjs and were checked by hand
 * against the telegram text, value by value (packages/testkit/fixtures/README.md); the field tests in
 * vectors-plaintext.test.ts quote the telegram lines for the values that matter most.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, parseTelegram, type Reading } from "../src/index.js";
import {
  FIXTURES_DIR,
  FORMAT_VECTORS,
  golden,
  PLAINTEXT_VECTORS,
  vectorBytes,
  vectorHex,
  vectorMeta,
} from "./helpers/vectors.js";

/** The reading as it goes over MQTT (JSON drops `undefined`). */
const wire = (r: Reading): unknown => JSON.parse(JSON.stringify(r));

describe("golden readings", () => {
  it.each([...PLAINTEXT_VECTORS, ...FORMAT_VECTORS])("%s gives its whole golden reading", (name) => {
    expect(wire(parseTelegram(vectorBytes(`${name}.txt`)))).toEqual(golden(name));
  });

  it("lux-2018-firmware gives its whole golden reading", () => {
    const text = readFileSync(join(FIXTURES_DIR, "telegrams", "lux-2018-firmware.txt"));
    expect(wire(parseTelegram(text))).toEqual(golden("lux-2018-firmware"));
  });

  it("the decrypted esphome-libs telegram (Austrian, Wh and W) gives its whole golden reading", () => {
    const text = vectorBytes("esphomelibs_encrypted_packet.plain.txt");
    expect(wire(parseTelegram(text))).toEqual(golden("esphomelibs_encrypted_packet"));
  });

  // Each frame encrypts a telegram above byte for byte (its JSON `expected_plaintext_file`): the same reading plus
  // the frame header.
  it.each([
    ["synthetic_lux_spec_v113_spec_aad", "lux_spec_v113_example"],
    ["synthetic_lux_meterlogger_spec_aad", "meterlogger_lux_2026"],
    ["esphomelibs_encrypted_packet", "esphomelibs_encrypted_packet"],
  ])("%s decrypts to the golden reading of %s", (frame, telegram) => {
    const meta = vectorMeta<{
      encryption_key_hex: string;
      header: { system_title_hex: string; frame_counter: number };
    }>(frame);
    const { reading } = decodeFrame(
      { kind: "encrypted", bytes: vectorHex(frame) },
      { key: Buffer.from(meta.encryption_key_hex, "hex") },
    );
    expect(wire(reading)).toEqual({
      ...(golden(telegram) as object),
      frame: { system_title: meta.header.system_title_hex, frame_counter: meta.header.frame_counter },
    });
  });
});
