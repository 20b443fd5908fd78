/**
 * Property tests: random readings survive encode → encrypt → random chunking → split → decode, and a frame with
 * any single byte changed gives a typed P1Error and never a different reading.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AuthenticationError,
  decodeFrame,
  encodeTelegram,
  encryptTelegram,
  FrameFormatError,
  FrameSplitter,
  P1Error,
  parseTelegram,
  type Reading,
  readingValue,
  type SplitFrame,
  type TelegramSpec,
} from "../src/index.js";
import { expectedMbus, telegramSpec } from "./helpers/arbitraries.js";

const KEY = Buffer.from("5A5A5A5A000102030405060708090A0B", "hex");
const RUNS = { seed: 20_240_706, numRuns: 150 };

/** Asserts that `reading` carries exactly what `spec` said, compared with the spec's own values. */
function expectMatches(reading: Reading, spec: TelegramSpec): void {
  for (const [key, value] of Object.entries(spec.values)) expect(readingValue(reading, key), key).toEqual(value);
  if (spec.time === undefined) expect(reading.time).toBeNull();
  else expect(Date.parse(reading.time ?? "")).toBe(spec.time);
  const mbus = reading.mbus.map(({ time, ...rest }) => ({ ...rest, ...(time ? { timeMs: Date.parse(time) } : {}) }));
  expect(mbus).toEqual(expectedMbus(spec));
  expect(reading.unknown_codes).toEqual([]);
  expect(reading.unparsed).toEqual([]);
}

const framed = fc.record({
  spec: telegramSpec,
  systemTitle: fc.uint8Array({ minLength: 8, maxLength: 8 }),
  frameCounter: fc.nat({ max: 0xffffffff }),
});

/** Splits `stream` at `cuts` (sorted offsets) and decodes every frame. */
function splitAndDecode(stream: Buffer, cuts: readonly number[]): { frames: SplitFrame[]; readings: Reading[] } {
  const frames: SplitFrame[] = [];
  const splitter = new FrameSplitter({ onFrame: (f) => frames.push(f) });
  let prev = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    splitter.push(stream.subarray(prev, cut));
    prev = cut;
  }
  splitter.push(stream.subarray(prev));
  splitter.end();
  return { frames, readings: frames.map((f) => decodeFrame(f, { key: KEY }).reading) };
}

describe("round trip", () => {
  it("a plaintext telegram from the encoder parses back to the spec's values", () => {
    fc.assert(
      fc.property(telegramSpec, (spec) => {
        expectMatches(parseTelegram(encodeTelegram(spec)), spec);
      }),
      RUNS,
    );
  });

  it("encrypted frames with junk between them, cut into random chunks, decode to the same values", () => {
    const junk = fc.uint8Array({ maxLength: 40 }).map((b) => b.filter((x) => x !== 0xdb && x !== 0x2f));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(framed, junk), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (items, rawCuts) => {
          const frames = items.map(([f]) =>
            encryptTelegram(encodeTelegram(f.spec), {
              key: KEY,
              systemTitle: f.systemTitle,
              frameCounter: f.frameCounter,
            }),
          );
          const stream = Buffer.concat(items.flatMap(([, j], i) => [Buffer.from(j), frames[i]!]));
          const { readings } = splitAndDecode(
            stream,
            rawCuts.map((c) => c % (stream.length + 1)),
          );
          expect(readings).toHaveLength(items.length);
          items.forEach(([f], i) => {
            expectMatches(readings[i]!, f.spec);
            expect(readings[i]?.frame).toEqual({
              system_title: Buffer.from(f.systemTitle).toString("hex"),
              frame_counter: f.frameCounter,
            });
          });
        },
      ),
      { ...RUNS, numRuns: 100 },
    );
  });
});

/** The error class a one-byte change at `index` of an encrypted frame must give (layout in frame-splitter.ts). */
function expectedErrorAt(index: number): typeof P1Error {
  const systemTitle = index >= 2 && index < 10;
  const frameCounter = index >= 14 && index < 18;
  if (index >= 18 || systemTitle || frameCounter) return AuthenticationError; // IV, ciphertext or tag
  return FrameFormatError; // tag byte, title length, length form, length, security control
}

describe("a frame with one byte changed", () => {
  const mutation = fc.record({ f: framed, at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) });

  it("decodeFrame gives the typed error of that position", () => {
    fc.assert(
      fc.property(mutation, ({ f, at, xor }) => {
        const frame = encryptTelegram(encodeTelegram(f.spec), { key: KEY, ...f });
        const index = at % frame.length;
        frame[index] = frame[index]! ^ xor;
        let error: unknown;
        try {
          decodeFrame({ kind: "encrypted", bytes: frame }, { key: KEY });
        } catch (err) {
          error = err;
        }
        expect(error).toBeInstanceOf(expectedErrorAt(index));
      }),
      { ...RUNS, numRuns: 400 },
    );
  });

  it("through the splitter gives typed errors or skips, never a reading from the frame", () => {
    fc.assert(
      fc.property(mutation, ({ f, at, xor }) => {
        const frame = encryptTelegram(encodeTelegram(f.spec), { key: KEY, ...f });
        const index = at % frame.length;
        frame[index] = frame[index]! ^ xor;
        const frames: SplitFrame[] = [];
        const splitter = new FrameSplitter({ onFrame: (s) => frames.push(s) });
        splitter.push(frame);
        splitter.end();
        for (const s of frames) {
          try {
            const { reading } = decodeFrame(s, { key: KEY });
            // Only junk that happens to look like a DSMR 2.2 telegram (no CRC) may parse; never the frame itself.
            expect(s.kind).toBe("plaintext");
            expect(reading.crc).toBeNull();
          } catch (err) {
            expect(err).toBeInstanceOf(P1Error);
          }
        }
      }),
      { ...RUNS, numRuns: 300 },
    );
  });

  it("in a plaintext telegram gives a typed error, or the very same reading when only the CRC's case or the line end after it changed", () => {
    fc.assert(
      fc.property(telegramSpec, fc.nat(), fc.integer({ min: 1, max: 255 }), (spec, at, xor) => {
        const telegram = Buffer.from(encodeTelegram(spec), "latin1");
        const original = parseTelegram(telegram);
        const index = at % telegram.length;
        telegram[index] = telegram[index]! ^ xor;
        let reading: Reading | undefined;
        try {
          reading = parseTelegram(telegram);
        } catch (err) {
          expect(err).toBeInstanceOf(P1Error);
          return;
        }
        expect(index).toBeGreaterThan(telegram.lastIndexOf(0x21));
        expect(reading).toEqual(original);
      }),
      { ...RUNS, numRuns: 400 },
    );
  });
});
