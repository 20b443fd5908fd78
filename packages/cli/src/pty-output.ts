/**
 * Serves the frame stream on a pseudo-terminal, so software that opens a serial port (ingest with serialport) can
 * be tried with no meter and no cable. socat owns the pty: `socat -u STDIN PTY,link=…,rawer` copies what we
 * write to the pty master, one way only, so a reader closing and reopening the device (a cable pulled and put
 * back) does not end socat. Like a real P1 port, nothing waits for a reader: when nobody reads and the pty fills,
 * frames are dropped and counted instead of queueing without bound.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { lstat, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FrameOutput } from "./frame-output.js";

export interface PtyOutputOptions {
  /** Path of the symlink to the pty slave; default `<tmpdir>/smarty-pty-XXXX/ttyP1`. */
  readonly link?: string;
  /** socat binary (default `socat` from PATH). */
  readonly socat?: string;
  /** Bytes allowed to wait in socat's input before frames are dropped (default 16 KiB, about 13 frames). */
  readonly maxBacklogBytes?: number;
  /** How long to wait for socat to create the pty (default 5 s). */
  readonly startTimeoutMs?: number;
}

export class PtyOutputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PtyOutputError";
  }
}

export class PtyOutput implements FrameOutput {
  private child: ChildProcess | undefined;
  private tempDir: string | undefined;
  private linkPath = "";
  private pts = "";
  private droppedFrames = 0;
  private exited = false;

  constructor(private readonly options: PtyOutputOptions = {}) {}

  /** The device to open: the symlink (stable name) to the pty slave. */
  get path(): string {
    return this.linkPath;
  }

  /** The pty slave itself, `/dev/pts/N`. */
  get devicePath(): string {
    return this.pts;
  }

  get description(): string {
    return this.linkPath;
  }

  /** True when socat has gone away: nothing more can be written. */
  get closed(): boolean {
    return this.exited;
  }

  /** Frames dropped because nobody was reading the pty. */
  get dropped(): number {
    return this.droppedFrames;
  }

  /** socat's process id, for diagnostics. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.options.link) this.linkPath = this.options.link;
    else {
      this.tempDir = await mkdtemp(join(tmpdir(), "smarty-pty-"));
      this.linkPath = join(this.tempDir, "ttyP1");
    }
    const bin = this.options.socat ?? "socat";
    // -d -d makes socat announce "PTY is /dev/pts/N" on stderr; rawer = raw mode with echo off (socat ≥ 1.7.4).
    const child = spawn(bin, ["-d", "-d", "-u", "STDIN", `PTY,link=${this.linkPath},rawer`], {
      stdio: ["pipe", "ignore", "pipe"],
    });
    this.child = child;
    child.stdin?.on("error", () => undefined);
    let log = "";
    child.on("exit", () => {
      this.exited = true;
    });
    this.pts = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new PtyOutputError(`socat did not create a pty within ${this.options.startTimeoutMs ?? 5000} ms`)),
        this.options.startTimeoutMs ?? 5000,
      );
      child.stderr?.on("data", (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-4000);
        const m = /PTY is (\S+)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once("error", (err: NodeJS.ErrnoException) => {
        // A spawn failure may never emit "exit"; nothing runs that stop() would have to wait for.
        this.exited = true;
        clearTimeout(timer);
        const hint = err.code === "ENOENT" ? `${bin} not found; install socat (apt install socat)` : err.message;
        reject(new PtyOutputError(`cannot start socat: ${hint}`, { cause: err }));
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new PtyOutputError(`socat exited with code ${code} before creating the pty: ${log.trim().slice(-300)}`));
      });
    })
      .then(async (pts) => {
        // socat announces the pty before it creates the link; whoever opens `path` next must find it.
        await this.waitForLink();
        return pts;
      })
      .catch(async (err: unknown) => {
        await this.stop();
        throw err;
      });
  }

  private async waitForLink(): Promise<void> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 5000);
    for (;;) {
      try {
        await lstat(this.linkPath);
        return;
      } catch {
        if (this.exited || Date.now() > deadline) {
          throw new PtyOutputError(`socat did not create the link ${this.linkPath}`);
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  write(bytes: Buffer): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.exited || stdin.destroyed) return Promise.resolve();
    if (stdin.writableLength > (this.options.maxBacklogBytes ?? 16 * 1024)) this.droppedFrames++;
    else stdin.write(bytes);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && !this.exited) {
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.stdin?.destroy();
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 2000);
      await gone;
      clearTimeout(force);
    }
    if (this.tempDir) {
      await rm(this.tempDir, { recursive: true, force: true });
      this.tempDir = undefined;
    }
  }
}
