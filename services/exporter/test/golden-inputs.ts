/**
 * Inputs of the golden /metrics test and of `npm run fixtures:update`: the shared telegram vectors of
 * packages/testkit/fixtures parsed with packages/p1, and a hand-written ingest health message.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeFrame, type Reading } from "@smarty/p1";
import { type EncryptedVector, frameFixture, type PlaintextVector, vectorMeta } from "@smarty/testkit/fixtures";
import { fixtureReading } from "@smarty/testkit/reading-builder";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const EXPECTED_METRICS = join(FIXTURES, "expected-metrics.txt");

/** Plaintext telegrams; `lux_spec_v113_example` is fed encrypted instead (same telegram, with a system title). */
const PLAINTEXT: readonly PlaintextVector[] = [
  "meterlogger_lux_2026",
  "dsmrreader_lux_test_2019",
  "openhab_smarty_with_units",
  "dsmrparser_v5_two_mbus",
];
const ENCRYPTED: readonly EncryptedVector[] = ["synthetic_lux_spec_v113_spec_aad", "esphomelibs_encrypted_packet"];

/** One reading per vector, each from a different meter. */
export function goldenReadings(): Reading[] {
  const readings: Reading[] = PLAINTEXT.map(fixtureReading);
  for (const name of ENCRYPTED) {
    const meta = vectorMeta<{ encryption_key_hex: string }>(name);
    const bytes = frameFixture(name);
    readings.push(
      decodeFrame({ kind: "encrypted", bytes }, { key: Buffer.from(meta.encryption_key_hex, "hex") }).reading,
    );
  }
  return readings;
}

export function goldenHealth(): string {
  return readFileSync(join(FIXTURES, "ingest-health.json"), "utf8");
}

/** Removes prom-client's process_/nodejs_ families, which depend on the running process. */
export function withoutProcessMetrics(exposition: string): string {
  const kept = exposition
    .split("\n\n")
    .filter((block) => !/^# HELP (process|nodejs)_/.test(block.trimStart()))
    .join("\n\n");
  return kept.endsWith("\n") ? kept : `${kept}\n`;
}
