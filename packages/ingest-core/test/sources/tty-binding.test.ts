import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { hangupAwareBinding, readTty, TtyHangupError, withHangupRead } from "../../src/sources/tty-binding.js";

const dir = mkdtempSync(join(tmpdir(), "tty-binding-"));
const fds: number[] = [];
afterEach(() => {
  for (const fd of fds.splice(0)) closeSync(fd);
});
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** A unix port binding over a file descriptor: a read of 0 bytes is what a hung-up tty returns. */
function portOn(content: string) {
  const path = join(dir, `f${fds.length}`);
  writeFileSync(path, content);
  const fd = openSync(path, "r");
  fds.push(fd);
  const port = {
    fd: fd as number | null,
    get isOpen() {
      return this.fd !== null;
    },
    openOptions: { path },
    poller: { once: () => undefined },
    read: (_buffer: Buffer, _offset: number, _length: number) =>
      Promise.resolve({ buffer: Buffer.alloc(0), bytesRead: 0 }),
  };
  return port;
}

describe("serialport read that ends at a hangup", () => {
  it("returns the bytes that are there", async () => {
    const port = portOn("/LUX5\r\n");
    const buf = Buffer.alloc(64);
    const { bytesRead } = await readTty(port, buf, 0, 64);
    expect(buf.subarray(0, bytesRead).toString()).toBe("/LUX5\r\n");
  });

  it("fails as a disconnect on a read of 0 bytes instead of reading again", async () => {
    const port = portOn("");
    const err = await readTty(port, Buffer.alloc(64), 0, 64).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TtyHangupError);
    expect((err as TtyHangupError).disconnect).toBe(true);
  });

  it("is canceled, not a disconnect, when the port was closed", async () => {
    const port = portOn("x");
    port.fd = null;
    const err = await readTty(port, Buffer.alloc(8), 0, 8).catch((e: unknown) => e);
    expect((err as { canceled?: boolean }).canceled).toBe(true);
  });

  it("replaces the read of ports that the binding opens", async () => {
    const port = portOn("");
    const binding = hangupAwareBinding({
      list: () => Promise.resolve([]),
      open: (_options: never) => Promise.resolve(port),
    });
    const opened = await binding.open(undefined as never);
    await expect(opened.read(Buffer.alloc(8), 0, 8)).rejects.toBeInstanceOf(TtyHangupError);
    expect(typeof binding.list).toBe("function");
  });

  it("leaves ports without a file descriptor (Windows) alone", () => {
    const read = () => Promise.resolve({ buffer: Buffer.alloc(0), bytesRead: 0 });
    const port = { read };
    expect(withHangupRead(port).read).toBe(read);
  });
});
