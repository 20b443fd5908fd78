/**
 * Fuzz: 100 000 random and mutated inputs through the splitter and the decoder. The only exceptions allowed are
 * P1Error subclasses; the splitter itself never throws. Seeded, so a failure reproduces exactly.
 */
import { describe, expect, it } from "vitest";
import {
  decodeFrame,
  encodeTelegram,
  encryptTelegram,
  FrameSplitter,
  P1Error,
  parseTelegram,
  type SplitFrame,
} from "../src/index.js";
import { prng } from "./helpers/prng.js";
import { PLAINTEXT_VECTORS, vectorBytes, vectorHex } from "./helpers/vectors.js";

const INPUTS = 100_000;
const KEY = Buffer.from("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "hex");

/** Bytes that matter to the splitter and the parser, so random data reaches deep paths often. */
const STRUCTURE = Buffer.from("/!()*:.-\r\n0123456789ABCDEFSW", "latin1");
const HEADER = Buffer.of(0xdb, 0x08, 0x82, 0x30);

const plaintexts = PLAINTEXT_VECTORS.map((n) => vectorBytes(`${n}.txt`));
const encrypted = [
  vectorHex("synthetic_lux_meterlogger_spec_aad"),
  vectorHex("synthetic_lux_spec_v113_spec_aad"),
  vectorHex("esphomelibs_encrypted_packet"),
  ...plaintexts.map((p, i) =>
    encryptTelegram(p, { key: KEY, systemTitle: Buffer.from("SAGfuzz!"), frameCounter: 1000 + i }),
  ),
  encryptTelegram(encodeTelegram({ header: "Lux5\\2536", values: { energy_import_kwh: 1 } }), {
    key: KEY,
    systemTitle: Buffer.alloc(8, 0xdb),
    frameCounter: 0xffffffff,
  }),
];

function mutate(input: Buffer, rnd: (n: number) => number): Buffer {
  let b = Buffer.from(input);
  const ops = 1 + rnd(4);
  for (let k = 0; k < ops && b.length > 0; k++) {
    const at = rnd(b.length);
    switch (rnd(7)) {
      case 0:
        b[at] = b[at]! ^ (1 << rnd(8));
        break;
      case 1:
        b[at] = rnd(256);
        break;
      case 2:
        b[at] = STRUCTURE[rnd(STRUCTURE.length)]!;
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rnd(16))]);
        break;
      case 4:
        b = Buffer.concat([b.subarray(0, at), Buffer.of(STRUCTURE[rnd(STRUCTURE.length)]!), b.subarray(at)]);
        break;
      case 5:
        b = b.subarray(0, at);
        break;
      default:
        b = Buffer.concat([b.subarray(0, at), HEADER, b.subarray(at)]);
    }
  }
  return b;
}

function randomBytes(rnd: (n: number) => number): Buffer {
  const b = Buffer.alloc(rnd(600));
  for (let i = 0; i < b.length; i++) b[i] = rnd(3) === 0 ? STRUCTURE[rnd(STRUCTURE.length)]! : rnd(256);
  return b;
}

describe("fuzz", () => {
  it(`${INPUTS} random and mutated inputs raise nothing but P1Error`, () => {
    const rnd = prng(0x5eed);
    const counts: Record<string, number> = {};
    const unexpected: string[] = [];
    const attempt = (what: string, input: Buffer, fn: () => unknown) => {
      try {
        fn();
        counts.ok = (counts.ok ?? 0) + 1;
      } catch (err) {
        if (err instanceof P1Error) counts[err.reason] = (counts[err.reason] ?? 0) + 1;
        else if (unexpected.length < 5) unexpected.push(`${what}: ${String(err)} on ${input.toString("hex")}`);
      }
    };
    const frames: SplitFrame[] = [];
    const skips = { count: 0 };
    // One long-lived splitter sees every input as one stream, as the ingest service would.
    const stream = new FrameSplitter({
      maxFrameBytes: 4096,
      onFrame: (f) => frames.push(f),
      onSkip: () => skips.count++,
    });

    for (let n = 0; n < INPUTS; n++) {
      const pick = rnd(10);
      let input: Buffer;
      if (pick < 4) input = mutate(encrypted[rnd(encrypted.length)]!, rnd);
      else if (pick < 7) input = mutate(plaintexts[rnd(plaintexts.length)]!, rnd);
      else if (pick < 9) input = randomBytes(rnd);
      else input = encrypted[rnd(encrypted.length)]!.subarray(0, rnd(1600));

      for (let at = 0; at < input.length; ) {
        const size = 1 + rnd(700);
        stream.push(input.subarray(at, at + size));
        at += size;
      }
      const verifyTag = rnd(8) !== 0;
      for (const f of frames.splice(0)) attempt("decodeFrame", f.bytes, () => decodeFrame(f, { key: KEY, verifyTag }));
      if (pick >= 4 && pick < 7)
        attempt("parseTelegram", input, () => parseTelegram(input, { verifyCrc: rnd(2) === 0 }));
      if (pick === 9)
        attempt("decodeFrame", input, () => decodeFrame({ kind: "encrypted", bytes: input }, { key: KEY }));
    }
    stream.end();
    for (const f of frames.splice(0)) attempt("decodeFrame", f.bytes, () => decodeFrame(f, { key: KEY }));

    expect(unexpected).toEqual([]);
    // Every outcome occurs, so the inputs reached every layer.
    for (const outcome of ["ok", "authentication", "crc", "format"]) expect(counts[outcome] ?? 0).toBeGreaterThan(100);
    expect(skips.count).toBeGreaterThan(1000);
    expect(stream.pendingBytes).toBe(0);
  });
});
