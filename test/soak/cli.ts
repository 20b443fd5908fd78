/** `npm run soak -- --days 30 --meters 3 --seed 7 --interval 60`: the full soak, summary on stdout. */
import { parseSoakArgs } from "./options.js";
import { soak } from "./soak.js";

const options = parseSoakArgs(process.argv.slice(2));
const result = await soak(options, (line) => console.error(`[soak] ${line}`));
console.log(result.summary);
for (const f of result.failures) console.log(`FAIL: ${f}`);
process.exitCode = result.failures.length === 0 ? 0 : 1;
