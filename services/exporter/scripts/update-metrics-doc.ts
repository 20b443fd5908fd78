/** Rewrites docs/metrics.md from the OBIS registry (npm run docs:metrics -w services/exporter). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderMetricsDoc } from "../src/metrics-doc.js";

const target = fileURLToPath(new URL("../../../docs/metrics.md", import.meta.url));
writeFileSync(target, renderMetricsDoc());
process.stdout.write(`wrote ${target}\n`);
