/**
 * The inputs `npm run fuzz` (scripts/fuzz.mjs) kept because they reached new code, replayed on every test run, and
 * the splitter's promise checked on mutated vectors: the same frames whether the bytes come in one chunk or in
 * random chunks. Seeded, so a failure reproduces exactly.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFrame, FrameSplitter, P1Error, parseTelegram, type SplitFrame } from "../src/index.js";
import { prng } from "./helpers/prng.js";
import { PLAINTEXT_VECTORS, vectorBytes, vectorHex } from "./helpers/vectors.js";

const KEY = Buffer.from("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "hex");
const CORPUS = join(import.meta.dirname, "..", "fuzz", "corpus");
const MUTATED = 5_000;

function frames(input: Buffer, sizes: readonly number[]): string[] {
  const out: SplitFrame[] = [];
  const splitter = new FrameSplitter({ maxFrameBytes: 4096, onFrame: (f) => out.push(f) });
  let at = 0;
  for (const size of sizes) {
    splitter.push(input.subarray(at, at + size));
    at += size;
  }
  splitter.end();
  return out.map((f) => `${f.kind}@${f.offset}:${f.bytes.toString("hex")}`);
}

function randomSizes(length: number, rnd: (n: number) => number): number[] {
  const sizes: number[] = [];
  const max = [4, 64, 1500][rnd(3)]!;
  for (let left = length; left > 0; left -= sizes.at(-1)!) sizes.push(Math.min(left, 1 + rnd(max)));
  return sizes;
}

/** What went wrong with one input, or undefined: only P1Error may be thrown, and chunking must not matter. */
function check(input: Buffer, rnd: (n: number) => number): string | undefined {
  for (const [what, run] of [
    ["parseTelegram", () => parseTelegram(input, { verifyCrc: rnd(2) === 0 })],
    ["decodeFrame", () => decodeFrame({ kind: "encrypted", bytes: input }, { key: KEY })],
  ] as const) {
    try {
      run();
    } catch (err) {
      if (!(err instanceof P1Error)) return `${what}: ${String(err)}`;
    }
  }
  const whole = frames(input, [input.length]);
  if (whole.join() !== frames(input, randomSizes(input.length, rnd)).join()) return "chunking changed the frames";
  return undefined;
}

const seeds = [
  ...PLAINTEXT_VECTORS.map((n) => vectorBytes(`${n}.txt`)),
  vectorHex("synthetic_lux_meterlogger_spec_aad"),
  vectorHex("synthetic_stream_resync"),
  vectorHex("esphomelibs_encrypted_packet"),
];

describe("fuzz corpus and chunking", () => {
  it("replays the fuzz corpus: nothing but P1Error, and the same frames in any chunks", () => {
    const files = existsSync(CORPUS) ? readdirSync(CORPUS).sort() : [];
    expect(files.length).toBeGreaterThan(0);
    const rnd = prng(0xc0de);
    const problems = files
      .map((f) => [f, check(readFileSync(join(CORPUS, f)), rnd)] as const)
      .filter(([, p]) => p !== undefined);
    expect(problems).toEqual([]);
  });

  it(`${MUTATED} mutated vectors give the same frames from one chunk as from random chunks`, () => {
    const rnd = prng(0xc4a5);
    const problems: string[] = [];
    for (let n = 0; n < MUTATED && problems.length < 5; n++) {
      const parts = [seeds[rnd(seeds.length)]!, seeds[rnd(seeds.length)]!];
      let input = Buffer.concat(parts);
      for (let k = rnd(4); k > 0; k--) {
        const at = rnd(input.length);
        input = rnd(2) === 0 ? Buffer.concat([input.subarray(0, at), input.subarray(at + 1 + rnd(8))]) : input;
        if (input.length > 0) input[rnd(input.length)] = rnd(256);
      }
      const p = check(input, rnd);
      if (p !== undefined) problems.push(`${p} on ${input.toString("hex").slice(0, 80)}…`);
    }
    expect(problems).toEqual([]);
  });
});
