import { PassThrough } from "node:stream";
import { ManualClock, silentLogger } from "@smarty/service-kit";
import { encryptedFrame, KEY, METER_ID, plainTelegram, WRONG_KEY_HEX } from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { diagnose } from "../src/doctor.js";
import { FileSource } from "../src/sources/file-source.js";

function run(bytes: Buffer, decoder: Parameters<typeof diagnose>[0]["decoder"]) {
  const clock = new ManualClock();
  const stream = new PassThrough();
  const source = new FileSource({ path: "-", speed: "max", intervalMs: 0, clock, logger: silentLogger(), stream });
  stream.end(bytes);
  return diagnose({ source, decoder, clock, durationMs: 15_000 });
}

describe("doctor", () => {
  it("reports good encrypted readings with the meter id", async () => {
    const r = await run(encryptedFrame(0), { key: KEY });
    expect(r.verdict).toBe("encrypted");
    expect(r.ok).toBe(true);
    expect(r.message).toContain(METER_ID);
  });

  it("reports plaintext DSMR", async () => {
    const r = await run(Buffer.from(plainTelegram(0), "latin1"), {});
    expect(r.verdict).toBe("plaintext");
    expect(r.message).toMatch(/plaintext DSMR/);
  });

  it("reports a wrong key, and a missing one", async () => {
    expect((await run(encryptedFrame(0), { key: Buffer.from(WRONG_KEY_HEX, "hex") })).verdict).toBe("wrong_key");
    const none = await run(encryptedFrame(0), {});
    expect(none.verdict).toBe("no_key");
    expect(none.message).toMatch(/--key/);
  });

  it("reports a garbled signal, and silence", async () => {
    const garbled = await run(Buffer.alloc(4000, 0x7e), { key: KEY });
    expect(garbled.verdict).toBe("garbled");
    expect(garbled.message).toMatch(/not inverted/);
    expect((await run(Buffer.alloc(0), { key: KEY })).verdict).toBe("nothing");
  });

  it("gives up after the duration when the source stays silent", async () => {
    const clock = new ManualClock();
    const source = new FileSource({
      path: "-",
      speed: "max",
      intervalMs: 0,
      clock,
      logger: silentLogger(),
      stream: new PassThrough(),
    });
    const pending = diagnose({ source, decoder: { key: KEY }, clock, durationMs: 15_000 });
    await new Promise((r) => setImmediate(r));
    clock.advance(15_000);
    const r = await pending;
    expect(r.verdict).toBe("nothing");
    expect(r.message).toContain("15 s");
  });
});
