/**
 * FrameSplitter over the shared resync stream (junk with a false 0xDB, frame A, 100 bytes of a cut frame B,
 * the whole frame B, 40 bytes at the end) and over plaintext streams. Offsets come from the vector's JSON.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeFrame, FrameSplitter, type SkipEvent, type SplitFrame } from "../src/index.js";
import { vectorBytes, vectorHex, vectorMeta } from "./helpers/vectors.js";

interface ResyncMeta {
  encryption_key_hex: string;
  system_title_hex: string;
  expected_plaintext_file: string;
  offsets: {
    junk_len: number;
    frame_A_offset: number;
    frame_A_len: number;
    truncated_B_offset: number;
    truncated_B_len: number;
    frame_B_offset: number;
    frame_B_len: number;
    tail_len: number;
  };
}

type Event = { frame: { kind: string; offset: number; hex: string } } | { skip: SkipEvent };

/** Runs the splitter over `chunks` and records every event in order. */
function split(chunks: readonly Uint8Array[], maxFrameBytes?: number): Event[] {
  const events: Event[] = [];
  const splitter = new FrameSplitter({
    ...(maxFrameBytes ? { maxFrameBytes } : {}),
    onFrame: (f: SplitFrame) =>
      events.push({ frame: { kind: f.kind, offset: f.offset, hex: f.bytes.toString("hex") } }),
    onSkip: (skip) => events.push({ skip }),
  });
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return events;
}

/** Cuts `bytes` at the given sorted positions. */
function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of cuts) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  out.push(bytes.subarray(prev));
  return out;
}

describe("the shared resync stream", () => {
  const meta = vectorMeta<ResyncMeta>("synthetic_stream_resync");
  const o = meta.offsets;
  const stream = vectorHex("synthetic_stream_resync");
  const whole = split([stream]);

  it("has the layout its JSON describes", () => {
    expect(stream.length).toBe(o.frame_B_offset + o.frame_B_len + o.tail_len);
    expect(stream.subarray(0, o.junk_len).includes(0xdb)).toBe(true);
    expect(stream.subarray(o.frame_A_offset, o.frame_A_offset + 10).toString("hex")).toBe(
      `db08${meta.system_title_hex}`,
    );
  });

  it("yields frames A and B and reports junk 32, truncated 100 and truncated 40 at the end", () => {
    expect(whole).toEqual([
      { skip: { reason: "junk", bytes: o.junk_len, offset: 0 } },
      {
        frame: {
          kind: "encrypted",
          offset: o.frame_A_offset,
          hex: stream.toString("hex", o.frame_A_offset, o.frame_A_offset + o.frame_A_len),
        },
      },
      { skip: { reason: "truncated", bytes: o.truncated_B_len, offset: o.truncated_B_offset } },
      {
        frame: {
          kind: "encrypted",
          offset: o.frame_B_offset,
          hex: stream.toString("hex", o.frame_B_offset, o.frame_B_offset + o.frame_B_len),
        },
      },
      { skip: { reason: "truncated", bytes: o.tail_len, offset: o.frame_B_offset + o.frame_B_len } },
    ]);
  });

  it("both frames decrypt to the meterlogger telegram with consecutive frame counters", () => {
    const key = Buffer.from(meta.encryption_key_hex, "hex");
    const plain = vectorBytes(meta.expected_plaintext_file);
    const counters: number[] = [];
    for (const e of whole) {
      if (!("frame" in e)) continue;
      const { reading, telegram } = decodeFrame({ kind: "encrypted", bytes: Buffer.from(e.frame.hex, "hex") }, { key });
      expect(telegram.equals(plain)).toBe(true);
      counters.push(reading.frame?.frame_counter ?? -1);
    }
    expect(counters).toEqual([371939, 371940]);
  });

  it("gives the same output for every split point of the stream into two chunks", () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const events = split(chunked(stream, [cut]));
      if (JSON.stringify(events) !== JSON.stringify(whole)) expect({ cut, events }).toEqual({ cut, events: whole });
    }
  });

  it("gives the same output one byte at a time and for random chunkings", () => {
    expect(split([...stream].map((b) => Uint8Array.of(b)))).toEqual(whole);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 40 }), (cuts) => {
        expect(
          split(
            chunked(
              stream,
              [...cuts].sort((a, b) => a - b),
            ),
          ),
        ).toEqual(whole);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe("plaintext streams", () => {
  const lux = vectorBytes("meterlogger_lux_2026.txt");
  const v5 = vectorBytes("dsmrparser_v5_two_mbus.txt");

  it("splits telegrams back to back and skips junk between them", () => {
    const stream = Buffer.concat([Buffer.from("noise"), lux, v5]);
    expect(split([stream])).toEqual([
      { skip: { reason: "junk", bytes: 5, offset: 0 } },
      { frame: { kind: "plaintext", offset: 5, hex: lux.subarray(0, lux.length - 2).toString("hex") } },
      { frame: { kind: "plaintext", offset: 5 + lux.length, hex: v5.subarray(0, v5.length - 2).toString("hex") } },
    ]);
  });

  it("reports a telegram cut by a new '/' as truncated and keeps the next one", () => {
    const stream = Buffer.concat([lux.subarray(0, 300), v5]);
    const events = split([stream]);
    expect(events[0]).toEqual({ skip: { reason: "truncated", bytes: 300, offset: 0 } });
    expect(events[1]).toMatchObject({ frame: { kind: "plaintext", offset: 300 } });
    expect(events).toHaveLength(2);
  });

  it("skips a candidate longer than maxFrameBytes and keeps memory bounded", () => {
    const events = split([Buffer.from(`/ABC5${"x".repeat(5000)}`), v5], 1024);
    expect(events[0]).toEqual({ skip: { reason: "oversize", bytes: 1024, offset: 0 } });
    expect(events.at(-1)).toMatchObject({ frame: { kind: "plaintext" } });
    const splitter = new FrameSplitter({ maxFrameBytes: 1024, onFrame: () => undefined });
    for (let i = 0; i < 100; i++) splitter.push(Buffer.alloc(100, 0x41));
    expect(splitter.pendingBytes).toBeLessThanOrEqual(1024 + 100);
  });

  it("takes a '/' without a DSMR identification after it for junk, also when a '!' follows", () => {
    // The tail of an encrypted frame (random ciphertext) with a '/' and a later '!' in it, then a telegram.
    const noise = Buffer.from("\x13\x8a/\xc4\x01\x7fq!\x9e\x00/ab!12/AB\x005!", "latin1");
    const stream = Buffer.concat([noise, v5]);
    const expected = [
      { skip: { reason: "junk", bytes: noise.length, offset: 0 } },
      { frame: { kind: "plaintext", offset: noise.length, hex: v5.subarray(0, v5.length - 2).toString("hex") } },
    ];
    expect(split([stream])).toEqual(expected);
    expect(split([...stream].map((b) => Uint8Array.of(b)))).toEqual(expected);
    // At the end of the stream as well.
    expect(split([Buffer.from("x/1ab!")])).toEqual([{ skip: { reason: "junk", bytes: 6, offset: 0 } }]);
  });

  it("gives the same output for every split point", () => {
    const stream = Buffer.concat([Buffer.from("\x00\xdb\x08junk/", "latin1"), lux.subarray(0, 200), v5, lux]);
    const whole = split([stream]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const events = split(chunked(stream, [cut]));
      if (JSON.stringify(events) !== JSON.stringify(whole)) expect({ cut, events }).toEqual({ cut, events: whole });
    }
  });
});
