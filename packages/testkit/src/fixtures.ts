/**
 * The one fixture set of the repository (packages/testkit/fixtures, see its README.md): the shared P1 vectors,
 * telegrams of particular firmware, and the golden reading of each telegram vector. Every test reads them through
 * these functions by a name the compiler knows, so a renamed or missing file fails to compile, not at run time.
 *
 * `packages/p1` may not import this package (it imports nothing of ours); its tests read the same folder by path
 * through packages/p1/test/helpers/vectors.ts (docs/architecture.md, "Test data").
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The fixtures folder; the same relative place from src/ and dist/. */
export const FIXTURES_DIR = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** Plaintext DSMR telegrams: `vectors/<name>.txt` with its `vectors/<name>.json`, each with a golden reading. */
export const PLAINTEXT_VECTORS = [
  "lux_spec_v113_example",
  "meterlogger_lux_2026",
  "dsmrreader_lux_test_2019",
  "openhab_smarty_with_units",
  "dsmrparser_v5_two_mbus",
  "dsmrparser_v5",
  "dsmrparser_v22_gas_next_line",
  "dsmrparser_v3_gas_next_line",
  "dsmrparser_fluvius_v171",
  "dsmrparser_fluvius_v171_alt",
  "synthetic_b_field_1",
] as const;

/** Encrypted Smarty frames: `vectors/<name>.hex` with its `vectors/<name>.json`. */
export const ENCRYPTED_VECTORS = [
  "athombv_lux_spec_with_aad",
  "athombv_lux_spec_without_aad",
  "esphomelibs_encrypted_packet",
  "smartmeter2mqtt_doc_nonconformant",
  "synthetic_lux_spec_v113_spec_aad",
  "synthetic_lux_meterlogger_spec_aad",
  "synthetic_stream_resync",
] as const;

/** Vectors that are metadata only (`vectors/<name>.json`). */
export const METADATA_VECTORS = ["dlmscosem_greenbook_gcm_component"] as const;

/** Telegrams of one firmware or format: `telegrams/<name>.txt` with its `telegrams/<name>.json`. */
export const TELEGRAMS = ["lux-2018-firmware"] as const;

/** Encrypted vectors whose decrypted telegram (`vectors/<name>.plain.txt`) has a golden reading of its own. */
export const GOLDEN_PLAINTEXTS = ["esphomelibs_encrypted_packet"] as const;

export type PlaintextVector = (typeof PLAINTEXT_VECTORS)[number];
export type EncryptedVector = (typeof ENCRYPTED_VECTORS)[number];
export type VectorName = PlaintextVector | EncryptedVector | (typeof METADATA_VECTORS)[number];
export type TelegramName = (typeof TELEGRAMS)[number];
/** Telegram texts that have a golden reading in `golden/<name>.json`. */
export type GoldenName = PlaintextVector | TelegramName | (typeof GOLDEN_PLAINTEXTS)[number];

/** Encrypted vectors stored with their decrypted plaintext `vectors/<name>.plain.txt` (vectors/README.md). */
export const WITH_PLAINTEXT = [
  "athombv_lux_spec_with_aad",
  "athombv_lux_spec_without_aad",
  "esphomelibs_encrypted_packet",
  "smartmeter2mqtt_doc_nonconformant",
] as const satisfies readonly EncryptedVector[];

/** Every file of the set, by its path under fixtures/. */
export type FixtureName =
  | `vectors/${PlaintextVector}.txt`
  | `vectors/${VectorName}.json`
  | `vectors/${EncryptedVector}.hex`
  | `vectors/${(typeof WITH_PLAINTEXT)[number]}.plain.txt`
  | "vectors/README.md"
  | `telegrams/${TelegramName}.${"txt" | "json"}`
  | `golden/${GoldenName}.json`
  | "README.md";

/** Every file of the set, as the lists above name them. */
export function fixtureNames(): FixtureName[] {
  return [
    "README.md",
    "vectors/README.md",
    ...PLAINTEXT_VECTORS.flatMap((n) => [`vectors/${n}.txt`, `vectors/${n}.json`, `golden/${n}.json`] as const),
    ...ENCRYPTED_VECTORS.flatMap((n) => [`vectors/${n}.hex`, `vectors/${n}.json`] as const),
    ...WITH_PLAINTEXT.map((n) => `vectors/${n}.plain.txt` as const),
    ...GOLDEN_PLAINTEXTS.map((n) => `golden/${n}.json` as const),
    ...METADATA_VECTORS.map((n) => `vectors/${n}.json` as const),
    ...TELEGRAMS.flatMap((n) => [`telegrams/${n}.txt`, `telegrams/${n}.json`, `golden/${n}.json`] as const),
  ];
}

export function fixturePath(name: FixtureName): string {
  return `${FIXTURES_DIR}${name}`;
}

/** The exact bytes of a fixture (CRLF and a missing final newline preserved). */
export function fixture(name: FixtureName): Buffer {
  return readFileSync(fixturePath(name));
}

/** A plaintext telegram by vector or telegram name (for an encrypted vector, its decrypted telegram). */
export function telegramFixture(name: GoldenName): Buffer {
  if ((PLAINTEXT_VECTORS as readonly string[]).includes(name)) return fixture(`vectors/${name as PlaintextVector}.txt`);
  if ((GOLDEN_PLAINTEXTS as readonly string[]).includes(name)) {
    return fixture(`vectors/${name as (typeof GOLDEN_PLAINTEXTS)[number]}.plain.txt`);
  }
  return fixture(`telegrams/${name as TelegramName}.txt`);
}

/** The frame bytes of an encrypted vector (its `.hex` is one line of lowercase hex). */
export function frameFixture(name: EncryptedVector): Buffer {
  return Buffer.from(fixture(`vectors/${name}.hex`).toString("latin1").trim(), "hex");
}

/** The JSON metadata of a vector. */
export function vectorMeta<T = Record<string, unknown>>(name: VectorName): T {
  return JSON.parse(fixture(`vectors/${name}.json`).toString("utf8")) as T;
}

/** The golden reading of a telegram (generated by scripts/golden.mjs, reviewed against the telegram text). */
export function goldenReading(name: GoldenName): Record<string, unknown> {
  return JSON.parse(fixture(`golden/${name}.json`).toString("utf8")) as Record<string, unknown>;
}

/** Key of the synthetic Lux vectors (their JSON `encryption_key_hex`). */
export const VECTOR_KEY_HEX = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
