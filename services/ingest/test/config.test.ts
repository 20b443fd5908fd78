import { writeFileSync } from "node:fs";
import { ConfigError } from "@smarty/service-kit";
import { tempDir } from "@smarty/testkit";
import { describe, expect, it } from "vitest";
import { DEFAULT_INGEST_HTTP_PORT, loadIngestConfig } from "../src/config.js";

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadIngestConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("ingest config", () => {
  it("has documented defaults", () => {
    const c = loadIngestConfig({});
    expect(c.SMARTY_SOURCE).toMatchObject({ kind: "serial", path: "/dev/ttyUSB0", baudRate: 115200 });
    expect(c.SMARTY_KEY).toBeUndefined();
    expect(c.SMARTY_VERIFY_TAG).toBe(true);
    expect(c.SMARTY_STATE_REFRESH).toBe(300_000);
    expect(c.SMARTY_HA_DISCOVERY).toBe(false);
    expect(c.INGEST_HTTP_PORT).toBe(DEFAULT_INGEST_HTTP_PORT);
    expect(c.INGEST_QUEUE_LIMIT).toBe(8640);
    expect(c.INGEST_IDLE_TIMEOUT).toBe(60_000);
    expect(c.INGEST_NO_FRAMES_TIMEOUT).toBe(30_000);
  });

  it("reads the key from SMARTY_KEY_FILE (Docker secret)", () => {
    const dir = tempDir("ingest-config");
    const file = `${dir.path}/key`;
    writeFileSync(file, "000102030405060708090A0B0C0D0E0F\n");
    expect(loadIngestConfig({ SMARTY_KEY_FILE: file }).SMARTY_KEY?.toString("hex")).toBe(
      "000102030405060708090a0b0c0d0e0f",
    );
    dir.remove();
  });

  it("lists every bad variable at once, without echoing the key", () => {
    const p = problems({
      SMARTY_SOURCE: "usb0",
      SMARTY_KEY: "thisIsMySecretKey",
      SMARTY_KEYS: "zz:00",
      SMARTY_VERIFY_TAG: "maybe",
      SMARTY_STATE_REFRESH: "often",
      INGEST_QUEUE_LIMIT: "0",
    });
    expect(p.map((x) => x.split(":")[0])).toEqual(
      expect.arrayContaining([
        "SMARTY_SOURCE",
        "SMARTY_KEY",
        "SMARTY_KEYS",
        "SMARTY_VERIFY_TAG",
        "SMARTY_STATE_REFRESH",
        "INGEST_QUEUE_LIMIT",
      ]),
    );
    expect(p.join("\n")).not.toContain("thisIsMySecretKey");
  });
});

describe("ingest config: shutdown bound", () => {
  it("refuses an INGEST_SHUTDOWN_TIMEOUT that would not end before compose's 30 s stop_grace_period", () => {
    expect(problems({ INGEST_SHUTDOWN_TIMEOUT: "25s" })).toEqual([]);
    expect(problems({ INGEST_SHUTDOWN_TIMEOUT: "30s" })).toEqual([
      expect.stringMatching(/^INGEST_SHUTDOWN_TIMEOUT: .*at most 25s/),
    ]);
  });
});

describe("ingest config: queue bytes", () => {
  it("reads INGEST_QUEUE_BYTES as a size with a binary suffix, 8 MiB by default", () => {
    expect(loadIngestConfig({}).INGEST_QUEUE_BYTES).toBe(8 * 1024 * 1024);
    expect(loadIngestConfig({ INGEST_QUEUE_BYTES: "512k" }).INGEST_QUEUE_BYTES).toBe(512 * 1024);
    expect(loadIngestConfig({ INGEST_QUEUE_BYTES: "8MiB" }).INGEST_QUEUE_BYTES).toBe(8 * 1024 * 1024);
    expect(loadIngestConfig({ INGEST_QUEUE_BYTES: "2000000" }).INGEST_QUEUE_BYTES).toBe(2_000_000);
    expect(problems({ INGEST_QUEUE_BYTES: "lots" })).toEqual([expect.stringMatching(/^INGEST_QUEUE_BYTES: /)]);
    expect(problems({ INGEST_QUEUE_BYTES: "12" })).toEqual([expect.stringMatching(/^INGEST_QUEUE_BYTES: /)]);
  });
});
