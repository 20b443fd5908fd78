/**
 * Rewrites test/fixtures/expected-metrics.txt from the golden inputs (npm run fixtures:update -w services/exporter).
 * Review the diff: every value must match the telegram text (test/golden-values.test.ts checks the main ones).
 */
import { writeFileSync } from "node:fs";
import { ingestHealthSchema } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { ManualClock } from "@smarty/service-kit";
import { createMetrics, DEFAULT_POWER_CLASS_KW, IngestStatus, ReadingCache } from "../src/index.js";
import { EXPECTED_METRICS, goldenHealth, goldenReadings, withoutProcessMetrics } from "../test/golden-inputs.js";

const clock = new ManualClock();
const cache = new ReadingCache({ clock, staleAfterMs: 60_000 });
const ingest = new IngestStatus();
for (const reading of goldenReadings()) {
  // The same JSON round trip as over MQTT.
  const wire = JSON.parse(JSON.stringify(reading)) as Reading;
  cache.put(wire, true, wire.meter_id);
}
ingest.setHealth("main", ingestHealthSchema.parse(JSON.parse(goldenHealth())));
ingest.setStatus("main", "online");
const metrics = createMetrics({ cache, ingest, powerClassWatts: DEFAULT_POWER_CLASS_KW * 1000, defaultMetrics: false });
const text = withoutProcessMetrics(await metrics.registry.metrics());
writeFileSync(EXPECTED_METRICS, text);
process.stdout.write(`wrote ${EXPECTED_METRICS} (${text.split("\n").length} lines)\n`);
