/**
 * Loads the repository's one fixture set, packages/testkit/fixtures (see its README.md): the frame bytes from
 * `.hex`, the plaintext exactly as stored, the JSON metadata that the expected values are read from, and the golden
 * readings. packages/p1 imports nothing of ours, not even @smarty/testkit in its tests, so it reads that folder by
 * path here, and only here (docs/architecture.md, "Test data").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES_DIR = join(import.meta.dirname, "..", "..", "..", "testkit", "fixtures");
export const VECTORS_DIR = join(FIXTURES_DIR, "vectors");

/** The Smarty authentication key and the AAD it gives (Luxmetering P1 spec v1.1.3 §3.3). */
export const SPEC_AK_HEX = "00112233445566778899AABBCCDDEEFF";
export const SPEC_AAD_HEX = `30${SPEC_AK_HEX}`;

/** Raw bytes of a vector file. */
export function vectorBytes(name: string): Buffer {
  return readFileSync(join(VECTORS_DIR, name));
}

/** The one-line lowercase hex of a `.hex` vector, as bytes. */
export function vectorHex(name: string): Buffer {
  return Buffer.from(readFileSync(join(VECTORS_DIR, `${name}.hex`), "utf8").trim(), "hex");
}

/** The JSON metadata of a vector. */
export function vectorMeta<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(VECTORS_DIR, `${name}.json`), "utf8")) as T;
}

/** Metadata fields of the encrypted vectors (vectors/README.md "File conventions"). */
export interface EncryptedMeta {
  readonly encryption_key_hex: string;
  readonly aad_hex_used_for_tag_check: string | null;
  readonly tag_valid_with_aad_used: boolean;
  readonly tag_valid_with_smarty_spec_aad_3000112233445566778899AABBCCDDEEFF?: boolean;
  readonly frame_length_bytes: number;
  readonly expected_plaintext_file: string;
  readonly iv_hex?: string;
  readonly gcm_tag_hex?: string;
  readonly header: {
    readonly system_title_hex: string;
    readonly length_field: number;
    readonly frame_counter: number;
    readonly security_control: string;
  };
  readonly dsmr_crc_in_telegram?: string;
  readonly dsmr_crc_computed?: string;
  readonly dsmr_crc_valid?: boolean;
}

/** Metadata fields of the plaintext vectors. */
export interface PlaintextMeta {
  readonly file: string;
  readonly bytes: number;
  readonly crc_in_telegram: string;
  readonly crc_computed: string;
  readonly crc_valid: boolean;
  readonly expected_fields?: Record<string, unknown>;
}

/** The golden reading of a telegram, `golden/<name>.json` (written by scripts/golden.mjs, reviewed by hand). */
export function golden(name: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, "golden", `${name}.json`), "utf8"));
}

/** The authentication key (AK) inside a 17-byte AAD `30 ‖ AK`, as our API takes it. */
export function akFromAad(aadHex: string): Buffer {
  const aad = Buffer.from(aadHex, "hex");
  if (aad.length !== 17 || aad[0] !== 0x30) throw new Error(`not a 30‖AK AAD: ${aadHex}`);
  return aad.subarray(1);
}

/** A plaintext telegram vector by file name. */
export const PLAINTEXT_VECTORS = [
  "lux_spec_v113_example",
  "meterlogger_lux_2026",
  "dsmrreader_lux_test_2019",
  "openhab_smarty_with_units",
  "dsmrparser_v5_two_mbus",
] as const;

/**
 * Plaintext vectors of the other formats (DSMR 2.2/3.0 without a CRC, DSMR 5, e-MUCS, B-field 1), each with a
 * golden reading; vectors-formats.test.ts quotes their lines.
 */
export const FORMAT_VECTORS = [
  "dsmrparser_v5",
  "dsmrparser_v22_gas_next_line",
  "dsmrparser_v3_gas_next_line",
  "dsmrparser_fluvius_v171",
  "dsmrparser_fluvius_v171_alt",
  "synthetic_b_field_1",
] as const;
