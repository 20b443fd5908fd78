/**
 * The `smarty` process itself (entry point, exit codes, SIGTERM), run from source with tsx so no build is needed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { waitFor } from "@smarty/testkit";
import { frameFixture } from "@smarty/testkit/fixtures";
import { afterEach, describe, expect, it } from "vitest";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const MAIN = fileURLToPath(new URL("../../src/main.ts", import.meta.url));

interface Proc {
  child: ChildProcess;
  stderr(): string;
  stdout(): Buffer;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function smarty(args: readonly string[], stdin?: Buffer): Proc {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", MAIN, ...args], {
    cwd: REPO,
    stdio: ["pipe", "pipe", "pipe"],
  });
  running.push(child);
  let err = "";
  const out: Buffer[] = [];
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  child.stdout?.on("data", (c: Buffer) => out.push(c));
  child.stdin?.end(stdin);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, stdout: () => Buffer.concat(out), exit };
}

describe("the smarty process", () => {
  it("exits 2 with one sentence on stderr for a wrong key", async () => {
    const p = smarty(["decode", "--key", "0".repeat(32)], frameFixture("synthetic_lux_spec_v113_spec_aad"));
    expect((await p.exit).code).toBe(2);
    expect(p.stderr()).toMatch(/^smarty decode: authentication failed: .+\n$/);
    expect(p.stdout().length).toBe(0);
  });

  it("serves TCP clients until SIGTERM, then closes the port and exits 0", async () => {
    const p = smarty(["simulate", "--plain", "--out", "tcp://127.0.0.1:0", "--interval", "50ms"]);
    const port = Number(await waitFor(() => /tcp:\/\/127\.0\.0\.1:(\d+)/.exec(p.stderr())?.[1], 15_000, "port"));
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.on("data", (c: Buffer) => {
      text += c.toString("latin1");
    });
    const closed = new Promise((resolve) => socket.once("close", resolve));
    await waitFor(() => (text.match(/!([0-9A-F]{4})\r\n/g) ?? []).length >= 2, 10_000, "two telegrams");
    p.child.kill("SIGTERM");
    expect(await p.exit).toEqual({ code: 0, signal: null });
    await closed;
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => resolve(false));
      s.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it("removes its pty and stops socat on SIGTERM", async () => {
    const p = smarty(["simulate", "--plain", "--out", "pty"]);
    const path = await waitFor(() => /pty device (\S+)/.exec(p.stderr())?.[1], 15_000, "pty path");
    expect(existsSync(path)).toBe(true);
    p.child.kill("SIGTERM");
    expect((await p.exit).code).toBe(0);
    expect(existsSync(path)).toBe(false);
  });
});
