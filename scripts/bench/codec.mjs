/**
 * Codec benchmark: frames per CPU-second on one core for the P1 hot path, and a DSMR 5 telegram through our parser
 * and through the npm `dsmr-parser` package in the same run (interleaved rounds, so the ratio is fair even on a
 * busy machine). Uses the built package (packages/p1/dist); scripts/bench.mjs builds it when it is stale.
 *
 * Inputs are shared vectors: the 1234-byte Lux frame `synthetic_lux_meterlogger_spec_aad` (a real 2026 Smarty
 * telegram, encrypted with the Smarty AAD), its 1204-byte plaintext, and ndokter/dsmr_parser's DSMR 5 telegram
 * with two M-Bus channels.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { environmentLine, formatRate, measure, printTable } from "./lib/measure.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const vectors = `${root}packages/testkit/fixtures/vectors/`;
const p1 = await import(`${root}packages/p1/dist/index.js`);
const peer = createRequire(import.meta.url)("dsmr-parser");

/** Goals, each measured in one run: decrypt + parse of a Lux frame on one core, ours against dsmr-parser, and the
 * splitter's overhead on a stream cut in 64-byte chunks. */
const TARGET_PER_SECOND = 60_000;
const TARGET_PEER_RATIO = 3.5;
const MAX_STREAM_OVERHEAD = 0.1;

const luxMeta = JSON.parse(readFileSync(`${vectors}synthetic_lux_meterlogger_spec_aad.json`, "utf8"));
const luxFrame = Buffer.from(readFileSync(`${vectors}synthetic_lux_meterlogger_spec_aad.hex`, "utf8").trim(), "hex");
const luxTelegram = readFileSync(`${vectors}meterlogger_lux_2026.txt`);
const v5 = readFileSync(`${vectors}dsmrparser_v5_two_mbus.txt`);
const v5Text = v5.toString("latin1");
const key = Buffer.from(luxMeta.encryption_key_hex, "hex");

// A serial line delivers a frame in small pieces: 10 frames cut into 64-byte chunks, as the splitter sees them.
const STREAM_FRAMES = 10;
const streamChunks = [];
{
  const stream = Buffer.concat(Array.from({ length: STREAM_FRAMES }, () => luxFrame));
  for (let i = 0; i < stream.length; i += 64) streamChunks.push(stream.subarray(i, i + 64));
}
function splitDecryptParse() {
  let last;
  const splitter = new p1.FrameSplitter({ onFrame: (f) => (last = p1.decodeFrame(f, { key })) });
  for (const c of streamChunks) splitter.push(c);
  return last;
}

// Both parsers must read the telegram before their speed means anything.
const ours = p1.parseTelegram(v5);
const theirs = peer.parse(v5Text).objects;
if (ours.energy_import_tariff1_kwh !== 2130.115 || theirs["electricity delivered tariff 1"] !== 2130.115) {
  throw new Error("a parser misread the DSMR 5 telegram; the benchmark would be meaningless");
}
if (p1.decodeFrame({ kind: "encrypted", bytes: luxFrame }, { key }).reading.energy_export_kwh !== 112743.03) {
  throw new Error("the Lux frame did not decode to its telegram's values");
}

const r = measure({
  decryptParse: () => p1.decodeFrame({ kind: "encrypted", bytes: luxFrame }, { key }),
  decrypt: () => p1.decryptFrame(luxFrame, { key }),
  parseLux: () => p1.parseTelegram(luxTelegram),
  stream: splitDecryptParse,
  oursV5: () => p1.parseTelegram(v5),
  peerV5: () => peer.parse(v5Text),
});
// The stream case handles STREAM_FRAMES frames per call.
for (const k of ["perSecond", "bestPerSecond"]) r.stream[k] *= STREAM_FRAMES;
r.stream.micros /= STREAM_FRAMES;

const row = (what, input, m) => ({
  case: what,
  input,
  "frames/s": formatRate(m.perSecond),
  best: formatRate(m.bestPerSecond),
  "µs/frame": m.micros.toFixed(1),
});
const ratio = r.oursV5.perSecond / r.peerV5.perSecond;

console.log("## codec (packages/p1), one core, CPU time");
console.log(environmentLine());
console.log("");
printTable(
  ["case", "input", "frames/s", "best", "µs/frame"],
  [
    row("decrypt + parse", `Lux frame ${luxFrame.length} B`, r.decryptParse),
    row("decrypt only", `Lux frame ${luxFrame.length} B`, r.decrypt),
    row("parse only", `Lux telegram ${luxTelegram.length} B`, r.parseLux),
    row("split + decrypt + parse", "Lux frames, 64 B chunks", r.stream),
    row("parse, ours", `DSMR 5 telegram ${v5.length} B`, r.oursV5),
    row("parse, dsmr-parser 2.1.1", `DSMR 5 telegram ${v5.length} B`, r.peerV5),
  ],
);
console.log("");
console.log(
  `ours / dsmr-parser on the DSMR 5 telegram: ${ratio.toFixed(2)}× ` +
    `(ours keeps all ${Object.keys(ours.obis).length} lines with units and M-Bus channels; ` +
    `dsmr-parser returns ${Object.keys(theirs).length} fields and takes gas from the empty channel 1: ` +
    `${theirs["gas delivered"]} instead of ${ours.mbus[0]?.value})`,
);
const goal = (name, value, target, text) =>
  console.log(`${name}: ${text} → ${(value / target).toFixed(2)} of the goal (${value >= target ? "met" : "NOT met"})`);
goal(
  `decrypt + parse ≥ ${formatRate(TARGET_PER_SECOND)} frames/s`,
  r.decryptParse.perSecond,
  TARGET_PER_SECOND,
  `${formatRate(r.decryptParse.perSecond)} median, ${formatRate(r.decryptParse.bestPerSecond)} best, ` +
    `${((r.decryptParse.perSecond / r.decrypt.perSecond) * 100).toFixed(0)} % of the decrypt-only limit`,
);
goal(`parse ≥ ${TARGET_PEER_RATIO}× dsmr-parser`, ratio, TARGET_PEER_RATIO, `${ratio.toFixed(2)}×`);
const overhead = r.decryptParse.perSecond / r.stream.perSecond - 1;
goal(
  `split + decrypt + parse within ${MAX_STREAM_OVERHEAD * 100} % of decrypt + parse`,
  1 + MAX_STREAM_OVERHEAD,
  1 + Math.max(overhead, 0),
  `${(overhead * 100).toFixed(1)} % slower`,
);
