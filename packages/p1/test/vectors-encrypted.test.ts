/**
 * The shared encrypted vectors: decrypted with the key and AAD their JSON names, compared byte for byte with the
 * stored plaintext, then parsed; the negative vectors fail with the error the JSON predicts.
 */
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  CrcError,
  DEFAULT_AUTHENTICATION_KEY,
  decodeFrame,
  decryptFrame,
  FrameFormatError,
  parseFrameHeader,
  parseTelegram,
} from "../src/index.js";
import { akFromAad, type EncryptedMeta, SPEC_AAD_HEX, vectorBytes, vectorHex, vectorMeta } from "./helpers/vectors.js";

const SPEC_VALID = [
  "esphomelibs_encrypted_packet",
  "synthetic_lux_spec_v113_spec_aad",
  "synthetic_lux_meterlogger_spec_aad",
] as const;

const keyOf = (meta: EncryptedMeta) => Buffer.from(meta.encryption_key_hex, "hex");

describe("vectors whose tag verifies with the Smarty AAD", () => {
  it.each(SPEC_VALID)("%s: header fields match the JSON", (name) => {
    const meta = vectorMeta<EncryptedMeta>(name);
    const frame = vectorHex(name);
    expect(frame.length).toBe(meta.frame_length_bytes);
    const header = parseFrameHeader(frame);
    expect(header.systemTitle.toString("hex")).toBe(meta.header.system_title_hex);
    expect(header.frameCounter).toBe(meta.header.frame_counter);
    expect(header.length).toBe(13 + meta.header.length_field);
    expect(meta.aad_hex_used_for_tag_check?.toUpperCase()).toBe(SPEC_AAD_HEX);
    if (meta.iv_hex) expect(meta.iv_hex).toBe(`${meta.header.system_title_hex}${frame.toString("hex", 14, 18)}`);
    if (meta.gcm_tag_hex) expect(frame.subarray(-12).toString("hex")).toBe(meta.gcm_tag_hex);
  });

  it.each(SPEC_VALID)("%s: decrypts byte for byte to the stored plaintext and parses", (name) => {
    const meta = vectorMeta<EncryptedMeta>(name);
    const plain = vectorBytes(meta.expected_plaintext_file);
    const out = decryptFrame(vectorHex(name), { key: keyOf(meta) });
    expect(out.plaintext.equals(plain)).toBe(true);
    const { reading, telegram } = decodeFrame({ kind: "encrypted", bytes: vectorHex(name) }, { key: keyOf(meta) });
    expect(telegram.equals(plain)).toBe(true);
    expect(reading.frame).toEqual({
      system_title: meta.header.system_title_hex,
      frame_counter: meta.header.frame_counter,
    });
    expect(reading.crc).toBe(meta.dsmr_crc_in_telegram ?? parseTelegram(plain).crc);
  });

  it.each(SPEC_VALID)("%s: a wrong key is an AuthenticationError", (name) => {
    const wrong = Buffer.from("0123456789ABCDEF0123456789ABCDEF", "hex");
    expect(() => decodeFrame({ kind: "encrypted", bytes: vectorHex(name) }, { key: wrong })).toThrow(
      AuthenticationError,
    );
  });

  it.each(SPEC_VALID)("%s: a wrong authentication key is an AuthenticationError", (name) => {
    const meta = vectorMeta<EncryptedMeta>(name);
    const authenticationKey = Buffer.from("FFEEDDCCBBAA99887766554433221100", "hex");
    expect(() => decryptFrame(vectorHex(name), { key: keyOf(meta), authenticationKey })).toThrow(AuthenticationError);
  });

  it("the Lux meterlogger frame reads as its plaintext vector does", () => {
    const meta = vectorMeta<EncryptedMeta>("synthetic_lux_meterlogger_spec_aad");
    const bytes = vectorHex("synthetic_lux_meterlogger_spec_aad");
    const { reading } = decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(meta) });
    expect(reading.meter_id).toBe("SAG1030700012701");
    expect(reading.energy_export_kwh).toBe(112743.03); // 1-0:2.8.0(112743.030*kWh)
    expect(reading.mbus[0]?.value).toBe(14239.771); // 0-1:24.2.1(…)(14239.771*m3)
    expect(reading.frame?.frame_counter).toBe(0x10000001);
  });
});

describe("esphome-libs encrypted packet (Austrian Sagemcom plaintext)", () => {
  const meta = vectorMeta<EncryptedMeta>("esphomelibs_encrypted_packet");
  const { reading, telegram } = decodeFrame(
    { kind: "encrypted", bytes: vectorHex("esphomelibs_encrypted_packet") },
    { key: keyOf(meta) },
  );

  it("starts and ends as the source test asserts", () => {
    expect(telegram.toString("latin1").startsWith("/EST5\\253710000_A\r\n")).toBe(true);
    expect(telegram.toString("latin1")).toContain("1-0:4.7.0(000000166*var)\r\n!");
  });

  it("converts Wh, W, varh and var to the registry units, keeping the sent units in obis", () => {
    expect(reading.energy_import_kwh).toBe(6545.766); // 1-0:1.8.0(006545766*Wh)
    expect(reading.energy_import_tariff1_kwh).toBe(5017.12); // 1-0:1.8.1(005017120*Wh)
    expect(reading.energy_import_tariff2_kwh).toBe(1528.646);
    expect(reading.energy_export_kwh).toBe(0.058); // 1-0:2.8.0(000000058*Wh)
    expect(reading.power_import_kw).toBe(0.286); // 1-0:1.7.0(000000286*W)
    expect(reading.reactive_energy_import_kvarh).toBe(0.747); // 1-0:3.8.0(000000747*varh)
    expect(reading.reactive_energy_export_kvarh).toBe(3897.726); // 1-0:4.8.0(003897726*varh)
    expect(reading.reactive_power_export_kvar).toBe(0.166); // 1-0:4.7.0(000000166*var)
    expect(reading.obis["1-0:1.8.0"]).toEqual({ value: 6545766, unit: "Wh" });
  });

  it("keeps the reactive tariff registers the registry does not name as unknown codes", () => {
    expect(reading.unknown_codes).toEqual(["1-0:3.8.1", "1-0:3.8.2", "1-0:4.8.1", "1-0:4.8.2"]);
    expect(reading.obis["1-0:4.8.1"]).toEqual({ value: 2692848, unit: "varh" });
    expect(reading.time).toBe("2022-10-06T15:50:14+02:00"); // 221006155014S
    expect(reading.meter_id).toBe("EST5_253710000_A"); // no id line: the header, made safe
  });

  it("corrupting byte 50 fails, as in the source test", () => {
    const bytes = Buffer.from(vectorHex("esphomelibs_encrypted_packet"));
    bytes[50] = bytes[50]! ^ 0xff;
    expect(() => decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(meta) })).toThrow(AuthenticationError);
  });
});

describe("athombv vectors (library-specific AAD, telegram without the blank line)", () => {
  const withAad = vectorMeta<EncryptedMeta>("athombv_lux_spec_with_aad");
  const withoutAad = vectorMeta<EncryptedMeta>("athombv_lux_spec_without_aad");

  it("decrypts with its own AAD to the stored plaintext, whose CRC is wrong", () => {
    const aad = withAad.aad_hex_used_for_tag_check ?? "";
    const out = decryptFrame(vectorHex("athombv_lux_spec_with_aad"), {
      key: keyOf(withAad),
      authenticationKey: akFromAad(aad),
    });
    expect(out.plaintext.equals(vectorBytes(withAad.expected_plaintext_file))).toBe(true);
    expect(withAad.dsmr_crc_valid).toBe(false);
    const err = captureError(() =>
      decodeFrame(
        { kind: "encrypted", bytes: vectorHex("athombv_lux_spec_with_aad") },
        { key: keyOf(withAad), authenticationKey: akFromAad(aad) },
      ),
    );
    expect(err).toBeInstanceOf(CrcError);
    expect(err).toMatchObject({ expected: withAad.dsmr_crc_in_telegram, actual: withAad.dsmr_crc_computed });
  });

  it("fails the Smarty AAD, as its JSON says", () => {
    expect(withAad.tag_valid_with_smarty_spec_aad_3000112233445566778899AABBCCDDEEFF).toBe(false);
    expect(() => decryptFrame(vectorHex("athombv_lux_spec_with_aad"), { key: keyOf(withAad) })).toThrow(
      AuthenticationError,
    );
  });

  it("an empty AAD is not supported: its tag fails, and without tag check the CRC still rejects it", () => {
    // The AAD is always 0x30 ‖ AK (Lux spec §3.3); a tag computed over no AAD cannot verify here (docs/reading.md).
    expect(withoutAad.aad_hex_used_for_tag_check).toBeNull();
    const bytes = vectorHex("athombv_lux_spec_without_aad");
    expect(() => decryptFrame(bytes, { key: keyOf(withoutAad) })).toThrow(AuthenticationError);
    const out = decryptFrame(bytes, { key: keyOf(withoutAad), verifyTag: false });
    expect(out.plaintext.equals(vectorBytes(withoutAad.expected_plaintext_file))).toBe(true);
    expect(() => decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(withoutAad), verifyTag: false })).toThrow(
      CrcError,
    );
  });
});

describe("smartmeter2mqtt documentation frame (negative vector)", () => {
  const meta = vectorMeta<EncryptedMeta & { byte10_length_form: string }>("smartmeter2mqtt_doc_nonconformant");
  const bytes = vectorHex("smartmeter2mqtt_doc_nonconformant");
  const typoAk = akFromAad("3000112233445566778899AABBCCDFFDEE");

  it("is rejected for its length form 0x00 at offset 10", () => {
    expect(meta.byte10_length_form).toBe("00");
    const err = captureError(() => decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(meta) }));
    expect(err).toBeInstanceOf(FrameFormatError);
    expect(err).toMatchObject({ offset: 10 });
    expect((err as Error).message).toContain("0x82");
  });

  it("with the length form repaired, fails authentication with the Smarty AAD", () => {
    const repaired = Buffer.from(bytes);
    repaired[10] = 0x82;
    expect(() => decodeFrame({ kind: "encrypted", bytes: repaired }, { key: keyOf(meta) })).toThrow(
      AuthenticationError,
    );
  });

  it("with its typo AAD decrypts to the stored plaintext, whose CRC is wrong", () => {
    const repaired = Buffer.from(bytes);
    repaired[10] = 0x82;
    const out = decryptFrame(repaired, { key: keyOf(meta), authenticationKey: typoAk });
    expect(out.plaintext.equals(vectorBytes(meta.expected_plaintext_file))).toBe(true);
    expect(out.frameCounter).toBe(10);
    expect(() => parseTelegram(out.plaintext)).toThrow(CrcError);
  });
});

describe("verifyTag: false", () => {
  const meta = vectorMeta<EncryptedMeta>("synthetic_lux_meterlogger_spec_aad");
  const frame = vectorHex("synthetic_lux_meterlogger_spec_aad");

  it("decrypts a frame whose tag is corrupted", () => {
    const bytes = Buffer.from(frame);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x5a;
    expect(() => decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(meta) })).toThrow(AuthenticationError);
    const { reading } = decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(meta), verifyTag: false });
    expect(reading.energy_import_kwh).toBe(273.764);
  });

  it("still rejects an altered ciphertext through the CRC, even when asked not to check it", () => {
    const bytes = Buffer.from(frame);
    bytes[200] = bytes[200]! ^ 0x04; // GCM is CTR underneath: one plaintext bit flips
    expect(() =>
      decodeFrame({ kind: "encrypted", bytes }, { key: keyOf(meta), verifyTag: false, verifyCrc: false }),
    ).toThrow(CrcError);
  });
});

describe("DLMS Green Book GCM component vector", () => {
  it("shows AAD = 0x30 ‖ AK and the 12-byte tag, as our decryptFrame builds them", () => {
    const v = vectorMeta<Record<string, string>>("dlmscosem_greenbook_gcm_component");
    expect(v.aad_hex).toBe(`30${v.authentication_key_hex}`);
    expect(v.iv_hex).toBe(`${v.system_title_hex}${v.invocation_counter_hex}`);
    // Wrap the component in a Smarty frame header and let decryptFrame do the rest.
    const body = Buffer.from(v.ciphertext_plus_12byte_tag_hex ?? "", "hex");
    const len = Buffer.alloc(2);
    len.writeUInt16BE(5 + body.length);
    const frame = Buffer.concat([
      Buffer.of(0xdb, 0x08),
      Buffer.from(v.system_title_hex ?? "", "hex"),
      Buffer.of(0x82),
      len,
      Buffer.of(0x30),
      Buffer.from(v.invocation_counter_hex ?? "", "hex"),
      body,
    ]);
    const out = decryptFrame(frame, {
      key: Buffer.from(v.encryption_key_hex ?? "", "hex"),
      authenticationKey: Buffer.from(v.authentication_key_hex ?? "", "hex"),
    });
    expect(out.plaintext.toString("hex").toUpperCase()).toBe(v.plaintext_hex);
    expect(DEFAULT_AUTHENTICATION_KEY).toBe("00112233445566778899AABBCCDDEEFF");
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}
