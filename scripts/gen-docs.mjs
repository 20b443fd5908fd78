/**
 * Writes the generated parts of docs/reading.md from the code: the example reading (the Luxmetering P1 spec v1.1.3
 * Appendix A telegram, decoded from its encrypted shared vector) and the tables of the OBIS and M-Bus registries.
 * Each part sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; the prose around them is
 * written by hand. packages/p1/test/reading-doc.test.ts fails when the file is out of date.
 *
 *   node scripts/gen-docs.mjs           rewrite docs/reading.md (builds packages/p1 when its dist is stale)
 *   node scripts/gen-docs.mjs --check   exit 1 when docs/reading.md is out of date
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const READING_DOC = join(ROOT, "docs", "reading.md");
const VECTOR = join(ROOT, "packages", "testkit", "fixtures", "vectors", "synthetic_lux_spec_v113_spec_aad");

/** One JSON value per line for the reading's top level, `obis` and `mbus`; everything else inline. */
function formatReading(reading) {
  const inline = (v) => {
    if (Array.isArray(v)) return `[${v.map(inline).join(", ")}]`;
    if (v !== null && typeof v === "object") {
      return `{${Object.entries(v)
        .map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`)
        .join(", ")}}`;
    }
    return JSON.stringify(v);
  };
  const lines = ["{"];
  const keys = Object.keys(reading);
  keys.forEach((key, i) => {
    const comma = i < keys.length - 1 ? "," : "";
    const value = reading[key];
    if (key === "obis" || (key === "mbus" && value.length > 0)) {
      const isArray = Array.isArray(value);
      const entries = isArray
        ? value.map((v) => inline(v))
        : Object.entries(value).map(([k, v]) => `"${k}": ${inline(v)}`);
      lines.push(`  "${key}": ${isArray ? "[" : "{"}`);
      lines.push(entries.map((e) => `    ${e}`).join(",\n"));
      lines.push(`  ${isArray ? "]" : "}"}${comma}`);
    } else {
      lines.push(`  "${key}": ${inline(value)}${comma}`);
    }
  });
  lines.push("}");
  return lines.join("\n");
}

const cell = (v) => (v === undefined || v === "" ? "" : String(v).replaceAll("|", "\\|"));

/**
 * The generated blocks, by name, from a loaded `@smarty/p1` module (the source in tests, the build here).
 * @param {typeof import("../packages/p1/src/index.ts")} p1
 */
export function generatedBlocks(p1) {
  const meta = JSON.parse(readFileSync(`${VECTOR}.json`, "utf8"));
  const frame = Buffer.from(readFileSync(`${VECTOR}.hex`, "utf8").trim(), "hex");
  const { reading } = p1.decodeFrame(
    { kind: "encrypted", bytes: frame },
    { key: Buffer.from(meta.encryption_key_hex, "hex") },
  );
  const registry = [
    "| code | key | unit | kind | description |",
    "|---|---|---|---|---|",
    ...p1.OBIS_REGISTRY.map(
      (d) => `| \`${d.code}\` | \`${d.key}\` | ${cell(d.unit)} | ${d.kind} | ${cell(d.description)} |`,
    ),
  ].join("\n");
  const mbus = [
    "| code | field of `mbus[]` | kind | description |",
    "|---|---|---|---|",
    ...p1.MBUS_REGISTRY.map((d) => `| \`${d.code}\` | \`${d.key}\` | ${d.kind} | ${cell(d.description)} |`),
  ].join("\n");
  return { example: `\`\`\`json\n${formatReading(reading)}\n\`\`\``, registry, mbus };
}

/** `text` with every generated block replaced; throws when a marker is missing. */
export function applyBlocks(text, blocks) {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`docs/reading.md has no ${start} … ${end} block`);
    out = `${out.slice(0, a + start.length)}\n${body}\n${out.slice(b)}`;
  }
  return out;
}

async function main() {
  // tsc -b is incremental: a no-op when packages/p1 is built and current.
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const built = spawnSync(process.execPath, [tsc, "-b", "packages/p1/tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (built.status !== 0) process.exit(1);
  const p1 = await import(join(ROOT, "packages", "p1", "dist", "index.js"));
  const current = readFileSync(READING_DOC, "utf8");
  const next = applyBlocks(current, generatedBlocks(p1));
  if (process.argv.includes("--check")) {
    if (next !== current) {
      console.error("docs/reading.md is out of date: run node scripts/gen-docs.mjs");
      process.exit(1);
    }
    console.log("docs/reading.md is up to date");
  } else if (next !== current) {
    writeFileSync(READING_DOC, next);
    console.log("docs/reading.md updated");
  } else {
    console.log("docs/reading.md already up to date");
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
