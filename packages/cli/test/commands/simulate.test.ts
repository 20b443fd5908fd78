import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FrameSplitter, parseTelegram, type SplitFrame } from "@smarty/p1";
import { tempDir } from "@smarty/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { runCliInProcess } from "../harness.js";

const KEY = "00112233445566778899AABBCCDDEEFF".split("").reverse().join("");
const START = "2026-03-29T00:59:30Z";

function split(bytes: Buffer): SplitFrame[] {
  const frames: SplitFrame[] = [];
  const skipped: number[] = [];
  const splitter = new FrameSplitter({ onFrame: (f) => frames.push(f), onSkip: (s) => skipped.push(s.bytes) });
  splitter.push(bytes);
  expect(skipped).toEqual([]);
  return frames;
}

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe("smarty simulate", () => {
  it("writes --count encrypted frames that smarty decode turns back into readings (round trip)", async () => {
    const sim = await runCliInProcess(
      ["simulate", "--key", KEY, "--count", "5", "--speed", "max", "--start", START, "--seed", "9"],
      {},
    );
    expect(sim.code).toBe(0);
    expect(sim.stderr).toBe("");
    const frames = split(sim.stdout);
    expect(frames.map((f) => f.kind)).toEqual(Array(5).fill("encrypted"));
    const readings = [];
    for (const f of frames) {
      const r = await runCliInProcess(["decode", "--key", KEY], { stdin: f.bytes });
      expect(r.code).toBe(0);
      readings.push(JSON.parse(r.stdout.toString()));
    }
    // 00:59:30Z is 01:59:30 winter time; the fourth frame is already summer time (spring forward at 01:00 UTC).
    expect(readings.map((r) => r.time)).toEqual([
      "2026-03-29T01:59:30+01:00",
      "2026-03-29T01:59:40+01:00",
      "2026-03-29T01:59:50+01:00",
      "2026-03-29T03:00:00+02:00",
      "2026-03-29T03:00:10+02:00",
    ]);
    const counters = readings.map((r) => r.frame.frame_counter);
    expect(counters.slice(1).map((c, i) => c - counters[i])).toEqual([1, 1, 1, 1]);
    expect(readings.every((r) => r.meter_id === "SAG1030700012701")).toBe(true);
    for (let i = 1; i < readings.length; i++) {
      expect(readings[i].energy_import_kwh).toBeGreaterThanOrEqual(readings[i - 1].energy_import_kwh);
    }
  });

  it("writes the same bytes for the same seed and start, and plaintext with --plain that smarty parse reads", async () => {
    const argv = ["simulate", "--count", "3", "--speed", "max", "--start", START, "--profile", "pv"];
    const a = await runCliInProcess([...argv, "--key", KEY]);
    const b = await runCliInProcess([...argv, "--key", KEY]);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const plain = await runCliInProcess([...argv, "--plain"]);
    const telegrams = split(plain.stdout);
    expect(telegrams.map((t) => t.kind)).toEqual(["plaintext", "plaintext", "plaintext"]);
    const parsed = await runCliInProcess(["parse"], { stdin: telegrams[2]!.bytes });
    expect(parsed.code).toBe(0);
    expect(JSON.parse(parsed.stdout.toString()).time).toBe("2026-03-29T01:59:50+01:00");
  });

  it("starts with a past stretch at its own interval with --history, to --history-out, registers continuing", async () => {
    const dir = tempDir("simulate-history");
    dirs.push(dir);
    const file = join(dir.path, "history.txt");
    const r = await runCliInProcess(
      [
        "simulate",
        "--plain",
        "--start",
        "2026-06-10T12:00:00Z",
        "--history",
        "1h",
        "--history-interval",
        "10m",
        "--history-out",
        file,
        "--count",
        "2",
        "--speed",
        "max",
      ],
      {},
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`smarty simulate: wrote 6 history frames to ${file}`);
    const history = split(readFileSync(file)).map((f) => parseTelegram(f.bytes));
    const live = split(r.stdout).map((f) => parseTelegram(f.bytes));
    expect(history.map((x) => x.time)).toEqual([
      "2026-06-10T13:00:00+02:00",
      "2026-06-10T13:10:00+02:00",
      "2026-06-10T13:20:00+02:00",
      "2026-06-10T13:30:00+02:00",
      "2026-06-10T13:40:00+02:00",
      "2026-06-10T13:50:00+02:00",
    ]);
    expect(live.map((x) => x.time)).toEqual(["2026-06-10T14:00:00+02:00", "2026-06-10T14:00:10+02:00"]);
    const imports = [...history, ...live].map((x) => x.energy_import_kwh as number);
    for (let i = 1; i < imports.length; i++) expect(imports[i]).toBeGreaterThanOrEqual(imports[i - 1] as number);
    // Ten minutes of a household between two history frames move the register; ten seconds barely do.
    expect((imports[5] as number) - (imports[0] as number)).toBeGreaterThan(0);
  });

  it("refuses --history-out without --history", async () => {
    const r = await runCliInProcess(["simulate", "--plain", "--history-out", "x.txt", "--count", "1"]);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("--history-out and --history-interval need --history");
  });

  it("writes one hex line per frame with --hex, which decode --hex accepts", async () => {
    const r = await runCliInProcess(["simulate", "--key", KEY, "--count", "2", "--speed", "max", "--hex"], {
      now: () => Date.UTC(2026, 6, 1, 12),
    });
    const lines = r.stdout.toString().trim().split("\n");
    expect(lines).toHaveLength(2);
    const d = await runCliInProcess(["decode", "--key", KEY, "--hex"], { stdin: lines[1] });
    expect(d.code).toBe(0);
    // Telegram times follow the injected clock when --start is absent.
    expect(JSON.parse(d.stdout.toString()).time).toBe("2026-07-01T14:00:10+02:00");
  });

  it("writes to --out FILE and says how many frames it wrote", async () => {
    const dir = tempDir("cli-sim");
    dirs.push(dir);
    const file = join(dir.path, "capture.bin");
    const r = await runCliInProcess(["simulate", "--key", KEY, "--count", "20", "--speed", "max", "--out", file]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toMatch(/wrote 20 frames to .*capture\.bin/);
    expect(split(readFileSync(file))).toHaveLength(20);
  });

  it("paces frames at the interval in real time, and stops cleanly when interrupted", async () => {
    const { startCli } = await import("../harness.js");
    const run = startCli(["simulate", "--plain", "--interval", "20ms"]);
    await expect.poll(() => split(run.stdout()).length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    run.abort();
    const result = await run.done;
    expect(result.code).toBe(0);
  });

  it("exits 64 on bad usage, and refuses binary frames on a terminal", async () => {
    for (const argv of [
      ["simulate"],
      ["simulate", "--key", "123"],
      ["simulate", "--plain", "--profile", "factory"],
      ["simulate", "--plain", "--interval", "soon"],
      ["simulate", "--plain", "--count", "0"],
      ["simulate", "--plain", "--start", "yesterday"],
      ["simulate", "--plain", "--start", "2026-03-29T01:00:00"],
      ["simulate", "--plain", "--speed", "fast"],
      ["simulate", "--plain", "--out", "tcp://127.0.0.1"],
      ["simulate", "--plain", "--speed", "max", "--out", "/tmp/x.bin"],
      ["simulate", "--plain", "extra"],
    ]) {
      const r = await runCliInProcess(argv);
      expect(r.code, argv.join(" ")).toBe(64);
      expect(r.stderr).toMatch(/^smarty simulate: .+; run 'smarty simulate --help'\n$/);
    }
    const tty = await runCliInProcess(["simulate", "--key", KEY, "--count", "1"], { stdoutIsTty: true });
    expect(tty.code).toBe(64);
    expect(tty.stderr).toMatch(/terminal/);
  });

  it("exits 74 when the output file cannot be created", async () => {
    const r = await runCliInProcess(["simulate", "--plain", "--count", "1", "--out", "/nonexistent/dir/x.bin"]);
    expect(r.code).toBe(74);
    expect(r.stderr).toMatch(/cannot open/);
  });
});
