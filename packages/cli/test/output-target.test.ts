import { describe, expect, it } from "vitest";
import { UsageError } from "../src/command.js";
import { parseOutputTarget } from "../src/output-target.js";

describe("parseOutputTarget", () => {
  it("reads stdout, files, TCP listen addresses and ptys", () => {
    expect(parseOutputTarget(undefined)).toEqual({ kind: "stdout" });
    expect(parseOutputTarget("-")).toEqual({ kind: "stdout" });
    expect(parseOutputTarget("capture.bin")).toEqual({ kind: "file", path: "capture.bin" });
    expect(parseOutputTarget("tcp://127.0.0.1:2000")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 2000 });
    expect(parseOutputTarget("tcp://127.0.0.1:0")).toEqual({ kind: "tcp", host: "127.0.0.1", port: 0 });
    expect(parseOutputTarget("tcp://[::1]:2000")).toEqual({ kind: "tcp", host: "::1", port: 2000 });
    expect(parseOutputTarget("pty")).toEqual({ kind: "pty" });
    expect(parseOutputTarget("pty:/tmp/ttyP1")).toEqual({ kind: "pty", link: "/tmp/ttyP1" });
  });

  it("rejects a TCP address without port and an empty pty path", () => {
    for (const bad of ["tcp://127.0.0.1", "tcp://:2000", "tcp://127.0.0.1:99999", "pty:"]) {
      expect(() => parseOutputTarget(bad), bad).toThrow(UsageError);
    }
  });
});
