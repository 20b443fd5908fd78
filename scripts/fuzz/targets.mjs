/**
 * What the fuzzer (scripts/fuzz.mjs) checks on each input: the parser, the decoder and the splitter raise nothing
 * but P1Error (the splitter nothing at all), and the splitter gives the same frames from one chunk as from random
 * chunks. Returns a description of the first problem, or undefined.
 */
import { KEY, prng } from "./mutate.mjs";

function frameList(p1, input, chunks) {
  const frames = [];
  const splitter = new p1.FrameSplitter({ maxFrameBytes: 4096, onFrame: (f) => frames.push(f) });
  let at = 0;
  for (const size of chunks) {
    splitter.push(input.subarray(at, at + size));
    at += size;
  }
  splitter.end();
  return frames;
}

const describe = (frames) => frames.map((f) => `${f.kind}@${f.offset}:${f.bytes.toString("hex")}`).join(",");

/** Random chunk sizes covering `length` bytes: single bytes, serial-read sizes and large pieces. */
function chunking(length, rnd) {
  const sizes = [];
  // Byte-by-byte reads are the slowest case to run, so they are one chunking in eight.
  const style = rnd(8);
  for (let left = length; left > 0; ) {
    const size = Math.min(left, style === 0 ? 1 + rnd(4) : style < 5 ? 1 + rnd(64) : 1 + rnd(1500));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/**
 * Checks one input. The options and chunk sizes come from the input's own CRC, so a re-run (and a finding saved to a
 * file) sees exactly the same calls.
 */
export function checkInput(p1, input) {
  const rnd = prng(p1.crc16(input) * 65_537 + input.length);
  const guard = (what, fn) => {
    try {
      fn();
    } catch (err) {
      if (!(err instanceof p1.P1Error)) return `${what} threw ${err?.name}: ${err?.message}`;
    }
    return undefined;
  };
  const verifyCrc = rnd(2) === 0;
  let problem = guard("parseTelegram", () => p1.parseTelegram(input, { verifyCrc }));
  if (problem) return problem;
  const verifyTag = rnd(8) !== 0;
  problem = guard("decodeFrame", () => p1.decodeFrame({ kind: "encrypted", bytes: input }, { key: KEY, verifyTag }));
  if (problem) return problem;
  let whole;
  let pieces;
  try {
    whole = frameList(p1, input, [input.length]);
    pieces = frameList(p1, input, chunking(input.length, rnd));
  } catch (err) {
    return `FrameSplitter threw ${err?.name}: ${err?.message}`;
  }
  if (describe(whole) !== describe(pieces)) return "FrameSplitter: one chunk and random chunks gave different frames";
  for (const f of whole) {
    problem = guard("decodeFrame (split)", () => p1.decodeFrame(f, { key: KEY, verifyTag }));
    if (problem) return problem;
  }
  return undefined;
}
