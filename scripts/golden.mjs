#!/usr/bin/env node
/**
 * GENERATED GOLDENS: writes packages/testkit/fixtures/golden/<name>.json, the whole reading that packages/p1 parses
 * from each telegram of the fixture set, in the JSON form that goes over MQTT.
 *
 *   npm run golden                 rewrite every golden
 *   npm run golden -- NAME …       rewrite only these
 *
 * A golden is our own output. Before committing one, review it by hand against the telegram text: every named
 * value, unit and time must be what the telegram line says (the telegram is the truth, never this script). Note the
 * review in packages/testkit/fixtures/README.md. The vector tests compare each reading with its golden, so a parser
 * change that alters a reading shows up as a diff here that must be reviewed the same way.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseTelegram } from "@smarty/p1";
import { FIXTURES_DIR, GOLDEN_PLAINTEXTS, PLAINTEXT_VECTORS, TELEGRAMS } from "@smarty/testkit/fixtures";

const GOLDEN_DIR = join(FIXTURES_DIR, "golden");
const sources = [
  ...PLAINTEXT_VECTORS.map((name) => [name, join(FIXTURES_DIR, "vectors", `${name}.txt`)]),
  ...TELEGRAMS.map((name) => [name, join(FIXTURES_DIR, "telegrams", `${name}.txt`)]),
  ...GOLDEN_PLAINTEXTS.map((name) => [name, join(FIXTURES_DIR, "vectors", `${name}.plain.txt`)]),
];

/** One line per top-level field, per `obis` line and per M-Bus channel, so a diff names the value that moved. */
function format(reading) {
  const block = (entries, open, close) => `${open}\n${entries.map((e) => `    ${e}`).join(",\n")}\n  ${close}`;
  const field = ([key, value]) => {
    if (key === "obis" && Object.keys(value).length > 0) {
      return block(
        Object.entries(value).map(([code, v]) => `${JSON.stringify(code)}: ${JSON.stringify(v)}`),
        "{",
        "}",
      );
    }
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === "object") {
      return block(
        value.map((v) => JSON.stringify(v)),
        "[",
        "]",
      );
    }
    return JSON.stringify(value);
  };
  const lines = Object.entries(reading).map((e) => `  ${JSON.stringify(e[0])}: ${field(e)}`);
  return `{\n${lines.join(",\n")}\n}\n`;
}

const only = new Set(process.argv.slice(2));
for (const [name, path] of sources) {
  if (only.size > 0 && !only.has(name)) continue;
  const reading = JSON.parse(JSON.stringify(parseTelegram(readFileSync(path))));
  const out = join(GOLDEN_DIR, `${name}.json`);
  writeFileSync(out, format(reading));
  process.stdout.write(`wrote ${out}\n`);
}
