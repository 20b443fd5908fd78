import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { tempDir, waitFor } from "@smarty/testkit";
import { capture, encryptedFrame } from "@smarty/testkit/smarty-meter";
import { afterEach, describe, expect, it } from "vitest";
import { FileSource } from "../../src/sources/file-source.js";

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function file(bytes: Buffer): string {
  const dir = tempDir("ingest-file");
  dirs.push(dir);
  const path = join(dir.path, "capture.bin");
  writeFileSync(path, bytes);
  return path;
}

function listen(src: FileSource) {
  const chunks: Buffer[] = [];
  let ended = false;
  src.on("data", (b) => chunks.push(b));
  src.on("end", () => {
    ended = true;
  });
  return { chunks, ended: () => ended };
}

describe("FileSource", () => {
  it("replays a capture at the meter's pace: one frame per interval, cut at frame ends", async () => {
    const clock = new ManualClock();
    const bytes = Buffer.concat([capture(0, 2), Buffer.from("\r\n"), encryptedFrame(2)]);
    const src = new FileSource({ path: file(bytes), speed: "real", intervalMs: 10_000, clock, logger: silentLogger() });
    const out = listen(src);
    src.start();
    await waitFor(() => out.chunks.length === 1, 5000, "first frame");
    expect(out.chunks[0]).toEqual(encryptedFrame(0));
    clock.advance(9_999);
    expect(out.chunks).toHaveLength(1);
    clock.advance(1);
    expect(out.chunks[1]).toEqual(encryptedFrame(1));
    clock.advance(10_000);
    expect(out.chunks[2]).toEqual(Buffer.concat([Buffer.from("\r\n"), encryptedFrame(2)]));
    clock.advance(10_000);
    expect(out.ended()).toBe(true);
    expect(Buffer.concat(out.chunks)).toEqual(bytes);
  });

  it("passes a capture through as fast as it is read with speed=max, and ends", async () => {
    const clock = new ManualClock();
    const bytes = capture(0, 50);
    const src = new FileSource({ path: file(bytes), speed: "max", intervalMs: 0, clock, logger: silentLogger() });
    const out = listen(src);
    src.start();
    await waitFor(out.ended, 5000, "end");
    expect(Buffer.concat(out.chunks)).toEqual(bytes);
    expect(src.bytesRead).toBe(bytes.length);
  });

  it("reads stdin (any stream) and waits while paused", async () => {
    const clock = new ManualClock();
    const stdin = new PassThrough();
    const src = new FileSource({
      path: "-",
      speed: "max",
      intervalMs: 0,
      clock,
      logger: silentLogger(),
      stream: stdin,
    });
    const out = listen(src);
    src.start();
    expect(src.description).toBe("stdin");
    src.pause();
    stdin.write(Buffer.from("abc"));
    await new Promise((r) => setImmediate(r));
    expect(out.chunks).toHaveLength(0);
    src.resume();
    await waitFor(() => out.chunks.length === 1, 5000, "data after resume");
    stdin.end();
    await waitFor(out.ended, 5000, "end");
  });
});
