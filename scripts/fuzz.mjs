/**
 * `npm run fuzz`: coverage-guided fuzzing of the P1 codec (splitter, decoder, parser), not part of CI.
 *
 *   node scripts/fuzz.mjs                    1 000 000 inputs, seed 1
 *   node scripts/fuzz.mjs --inputs 50000 --seed 7
 *
 * A mutation fuzzer in the style of libFuzzer, as Jazzer.js does not install here: inputs are mutated from a corpus
 * seeded with every vector of packages/p1/test/fixtures/vectors and packages/p1/fuzz/corpus, and V8's block coverage
 * (node:inspector Profiler.startPreciseCoverage, detailed) decides which inputs reached new blocks of the codec and
 * so join the corpus. Coverage is taken once per batch; a batch that reached something new is replayed input by
 * input to find the ones that did.
 *
 * Each input is checked for: nothing thrown but the typed P1 errors (P1Error), the splitter giving the same frames
 * whether the bytes come in one chunk or in random chunks, and no input taking more than 10 ms (reported, never a
 * failure of CI: timing on a shared machine is not a test). Findings are written to packages/p1/fuzz/findings/ and
 * make the script exit 1. The corpus it grows is written back to packages/p1/fuzz/corpus/ (small files, capped).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mutate, prng } from "./fuzz/mutate.mjs";
import { checkInput } from "./fuzz/targets.mjs";

// Stack traces of the P1 errors thrown by the million inputs are never read here.
Error.stackTraceLimit = 0;

const root = fileURLToPath(new URL("..", import.meta.url));
const vectorsDir = join(root, "packages/p1/test/fixtures/vectors");
const corpusDir = join(root, "packages/p1/fuzz/corpus");
const findingsDir = join(root, "packages/p1/fuzz/findings");
const CORPUS_CAP = 400;
const CORPUS_MAX_BYTES = 4096;
const SLOW_MS = 10;
const BATCH = 512;

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const INPUTS = arg("inputs", 1_000_000);
const rnd = prng(arg("seed", 1));

const tsc = join(root, "node_modules/typescript/bin/tsc");
if (spawnSync(process.execPath, [tsc, "-b", "packages/p1/tsconfig.build.json"], { cwd: root }).status !== 0) {
  console.error("fuzz: building packages/p1 failed");
  process.exit(1);
}

const session = new Session();
session.connect();
const post = (method, params) => {
  let out;
  session.post(method, params, (err, res) => {
    if (err) throw err;
    out = res;
  });
  return out;
};
post("Profiler.enable");
post("Profiler.startPreciseCoverage", { callCount: true, detailed: true });

// Imported after coverage starts, so the codec's functions are instrumented from their first call.
const p1 = await import(join(root, "packages/p1/dist/index.js"));
const isCodec = (url) => url.includes("/packages/p1/dist/");

/** Every block V8 reports for the codec: key → reached by some input so far. */
const blocks = new Map();
/** Takes (and so resets) the coverage counters; returns the blocks reached that no input had reached before. */
let takes = 0;
let takeMs = 0;
function take() {
  const t0 = performance.now();
  takes++;
  const fresh = [];
  for (const script of post("Profiler.takePreciseCoverage").result) {
    if (!isCodec(script.url)) continue;
    const file = script.url.slice(script.url.lastIndexOf("/") + 1);
    for (const fn of script.functions) {
      for (const r of fn.ranges) {
        const key = `${file}:${r.startOffset}:${r.endOffset}`;
        const was = blocks.get(key);
        if (was === undefined) blocks.set(key, false);
        if (r.count > 0 && was !== true) fresh.push(key);
      }
    }
  }
  takeMs += performance.now() - t0;
  return fresh;
}
const commit = (keys) => {
  for (const k of keys) blocks.set(k, true);
};

function loadSeeds() {
  const seeds = [];
  for (const f of readdirSync(vectorsDir).sort()) {
    if (f.endsWith(".hex")) seeds.push(Buffer.from(readFileSync(join(vectorsDir, f), "utf8").trim(), "hex"));
    else if (f.endsWith(".txt")) seeds.push(readFileSync(join(vectorsDir, f)));
  }
  mkdirSync(corpusDir, { recursive: true });
  for (const f of readdirSync(corpusDir).sort()) seeds.push(readFileSync(join(corpusDir, f)));
  return seeds;
}

const corpus = loadSeeds();
const seedCount = corpus.length;
const findings = [];
let added = 0;
let slow = 0;
let slowest = 0;

function retime(input) {
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    checkInput(p1, input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

function run(input) {
  const t0 = performance.now();
  const problem = checkInput(p1, input);
  const ms = performance.now() - t0;
  if (ms > slowest) slowest = ms;
  // Timing on a shared machine is noisy (GC, other processes): an input is slow only if it stays slow when re-run.
  if (ms > SLOW_MS && retime(input) > SLOW_MS) {
    slow++;
    if (findings.length < 20) findings.push({ kind: "slow", detail: `${ms.toFixed(1)} ms`, input });
  }
  if (problem && findings.length < 20) findings.push({ kind: "error", detail: problem, input });
}

for (const seed of corpus) run(seed);
commit(take());
// The first runs include compiling the codec: their time says nothing about the inputs.
findings.splice(0, findings.length, ...findings.filter((f) => f.kind !== "slow"));
slow = 0;
slowest = 0;
/**
 * Finds the inputs of `inputs` that reach new blocks by halving (the counters only say that a group did): each one
 * found joins the corpus, and the blocks it reached count as reached for the rest.
 */
function find(inputs) {
  for (const input of inputs) run(input);
  const fresh = take();
  if (fresh.length === 0) return false;
  if (inputs.length === 1) {
    commit(fresh);
    if (inputs[0].length <= CORPUS_MAX_BYTES) {
      corpus.push(inputs[0]);
      added++;
    }
    return true;
  }
  const half = inputs.length >> 1;
  const left = find(inputs.slice(0, half));
  const right = find(inputs.slice(half));
  // Blocks that depend on what the codec saw before (the parser predicts a line from the previous telegram's) do not
  // come back when the inputs are re-run apart: count them as reached rather than search for them again.
  if (!left && !right) commit(fresh);
  return left || right;
}

const started = performance.now();
for (let done = 0; done < INPUTS; ) {
  const n = Math.min(BATCH, INPUTS - done);
  const batch = [];
  for (let i = 0; i < n; i++) {
    const input = mutate(corpus[rnd(corpus.length)], corpus, rnd, p1);
    batch.push(input);
    run(input);
  }
  done += n;
  if (take().length > 0) find(batch);
  if (done % 100_000 < BATCH || done === INPUTS) {
    const reached = [...blocks.values()].filter(Boolean).length;
    const s = (performance.now() - started) / 1000;
    console.log(
      `${done} inputs, ${Math.round(done / s)} exec/s, blocks ${reached}/${blocks.size}, corpus ${corpus.length}`,
    );
  }
}
const seconds = (performance.now() - started) / 1000;
post("Profiler.stopPreciseCoverage");

// The corpus keeps what the runs added, newest last, up to the cap; vectors stay in the fixtures, not here.
const grown = corpus.slice(seedCount - readdirSync(corpusDir).length);
rmSync(corpusDir, { recursive: true, force: true });
mkdirSync(corpusDir, { recursive: true });
const kept = grown.slice(-CORPUS_CAP);
for (const [i, input] of kept.entries()) {
  writeFileSync(join(corpusDir, `input-${String(i).padStart(4, "0")}.bin`), input);
}

const reached = [...blocks.values()].filter(Boolean).length;
console.log("");
console.log(`inputs            ${INPUTS} in ${seconds.toFixed(0)} s (${Math.round(INPUTS / seconds)} exec/s)`);
console.log(
  `block coverage    ${reached} of ${blocks.size} blocks V8 reports in packages/p1/dist ` +
    `(${((reached / blocks.size) * 100).toFixed(1)} %)`,
);
console.log(`corpus            ${kept.length} files (${added} added this run, cap ${CORPUS_CAP})`);
console.log(`slowest input     ${slowest.toFixed(2)} ms; over ${SLOW_MS} ms: ${slow}`);
console.log(`coverage takes    ${takes} (${(takeMs / 1000).toFixed(0)} s)`);
console.log(`findings          ${findings.length}`);
if (findings.length > 0) {
  mkdirSync(findingsDir, { recursive: true });
  findings.forEach((f, i) => {
    writeFileSync(join(findingsDir, `${f.kind}-${i}.bin`), f.input);
    console.log(`  ${f.kind}-${i}.bin: ${f.detail}`);
  });
  process.exit(1);
}
