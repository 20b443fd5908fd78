/** Helpers of the integration tests: split received bytes into frames and decode them with packages/p1. */
import { decodeFrame, FrameSplitter, type Reading } from "@smarty/p1";

export const KEY_HEX = "3C2B1A09F8E7D6C5B4A3928170FEEDDC";
export const KEY = Buffer.from(KEY_HEX, "hex");

/** Collects frames from a byte stream delivered in arbitrary chunks. */
export class FrameCollector {
  readonly readings: Reading[] = [];
  readonly skipped: number[] = [];
  private readonly splitter = new FrameSplitter({
    onFrame: (f) => this.readings.push(decodeFrame(f, { key: KEY }).reading),
    onSkip: (s) => this.skipped.push(s.bytes),
  });

  push(chunk: Buffer): void {
    this.splitter.push(chunk);
  }

  get counters(): number[] {
    return this.readings.map((r) => r.frame?.frame_counter ?? -1);
  }
}

/** True when the frame counters step by exactly one. */
export function consecutive(counters: readonly number[]): boolean {
  return counters.every((c, i) => i === 0 || c === counters[i - 1]! + 1);
}
