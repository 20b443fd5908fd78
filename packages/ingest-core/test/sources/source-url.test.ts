import { describe, expect, it } from "vitest";
import { describeSource, parseSourceUrl, SourceUrlError } from "../../src/sources/source-url.js";

describe("parseSourceUrl", () => {
  it("defaults a serial port to the P1 line settings 115200 8N1", () => {
    expect(parseSourceUrl("serial:///dev/ttyUSB0")).toEqual({
      kind: "serial",
      path: "/dev/ttyUSB0",
      baudRate: 115200,
      dataBits: 8,
      parity: "none",
      stopBits: 1,
    });
  });

  it("takes DSMR 2.2 line settings from the query", () => {
    expect(parseSourceUrl("serial:///dev/ttyAMA0?baud=9600&bits=7&parity=even&stop=1")).toMatchObject({
      baudRate: 9600,
      dataBits: 7,
      parity: "even",
    });
  });

  it("parses tcp bridges, files with a pace, and stdin", () => {
    expect(parseSourceUrl("tcp://192.168.1.20:2001")).toEqual({ kind: "tcp", host: "192.168.1.20", port: 2001 });
    expect(parseSourceUrl("file:///data/day.bin?speed=max")).toMatchObject({ kind: "file", speed: "max" });
    expect(parseSourceUrl("file:///data/day.bin")).toMatchObject({ speed: "real", intervalMs: 10_000 });
    expect(parseSourceUrl("file:///data/day.bin?interval=500ms")).toMatchObject({ intervalMs: 500 });
    expect(parseSourceUrl("-")).toMatchObject({ kind: "file", path: "-", speed: "max" });
  });

  it("says what is wrong with a bad source", () => {
    for (const bad of ["/dev/ttyUSB0", "tcp://host", "serial://", "serial:///dev/x?baud=fast", "ftp://x/y"]) {
      expect(() => parseSourceUrl(bad), bad).toThrow(SourceUrlError);
    }
    expect(() => parseSourceUrl("serial:///dev/x?parity=mark")).toThrow(/parity must be one of none, even, odd/);
  });

  it("describes a source for logs", () => {
    expect(describeSource(parseSourceUrl("tcp://[::1]:23"))).toBe("tcp://::1:23");
    expect(describeSource(parseSourceUrl("-"))).toBe("stdin");
  });
});
