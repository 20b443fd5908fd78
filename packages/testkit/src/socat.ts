/**
 * A pseudo-terminal pair from socat (Debian package), standing in for a USB serial cable: the service opens
 * `device` as its serial port, the test writes meter bytes into `peer`. `unplug()` stops socat (it removes both
 * links, and the open device reads EIO, as when a USB adapter is pulled); `replug()` starts it again on the same
 * paths.
 */
import { existsSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import { type Daemon, findBinary, spawnDaemon, tempDir, untilReady, waitFor } from "./process.js";

export interface PtyPair {
  /** Path the service opens as its serial port. */
  readonly device: string;
  /** Path the test writes the meter's bytes to. */
  readonly peer: string;
  /** Writes to the peer end (opened on first use and again after replug). */
  write(bytes: Uint8Array | string): Promise<void>;
  /** Pulls the "cable": socat stops, both links vanish. */
  unplug(): Promise<void>;
  /** Puts it back: a new pty pair behind the same link paths. */
  replug(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const bin = findBinary("socat");
  const dir = tempDir("pty");
  const device = join(dir.path, "ttyP1");
  const peer = join(dir.path, "ttyMeter");
  let daemon: Daemon | undefined;
  let handle: FileHandle | undefined;

  const launch = async () => {
    const d = spawnDaemon("socat", bin, ["-d", "-d", `pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${peer}`]);
    daemon = d;
    await untilReady(
      d,
      waitFor(() => existsSync(device) && existsSync(peer), 10_000, "socat pty links"),
    );
  };
  const closeHandle = async () => {
    const h = handle;
    handle = undefined;
    await h?.close().catch(() => undefined);
  };
  await launch();

  return {
    device,
    peer,
    async write(bytes) {
      handle ??= await open(peer, "w");
      const buf = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
      let off = 0;
      while (off < buf.length) {
        const { bytesWritten } = await handle.write(buf, off, buf.length - off);
        off += bytesWritten;
      }
    },
    async unplug() {
      await closeHandle();
      await daemon?.stop();
      daemon = undefined;
    },
    async replug() {
      if (!daemon) await launch();
    },
    async stop() {
      await closeHandle();
      await daemon?.stop();
      daemon = undefined;
      dir.remove();
    },
  };
}
