/**
 * A built service (`node services/<name>/dist/main.js`) as a real process with its environment: output kept in a
 * log file for the end-of-run scan, restarts by SIGTERM or SIGKILL, and VmRSS sampled from /proc so memory can be
 * judged per process lifetime.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync, type WriteStream } from "node:fs";
import { join } from "node:path";

export interface RssSample {
  readonly at: number;
  readonly kib: number;
}

export interface Lifetime {
  readonly pid: number;
  readonly startedAt: number;
  readonly rss: RssSample[];
  /** How it ended: the signal we sent, or an unexpected exit. */
  end?: { readonly code: number | null; readonly signal: string | null; readonly expected: boolean };
}

export class ServiceProcess {
  readonly lifetimes: Lifetime[] = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private readonly log: WriteStream;
  readonly logFile: string;

  constructor(
    readonly name: string,
    private readonly main: string,
    private readonly env: Readonly<Record<string, string>>,
    logDir: string,
  ) {
    this.logFile = join(logDir, `${name}.log`);
    this.log = createWriteStream(this.logFile, { flags: "a" });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const child = spawn(process.execPath, [this.main], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.expectingExit = false;
    const life: Lifetime = { pid: child.pid ?? -1, startedAt: Date.now(), rss: [] };
    this.lifetimes.push(life);
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        life.end = { code, signal, expected: this.expectingExit };
        resolve();
      }),
    );
  }

  /** Stops with `signal` and waits for the exit (SIGKILL after 10 s). */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    this.expectingExit = true;
    child.kill(signal);
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(force);
  }

  async restart(signal: NodeJS.Signals): Promise<void> {
    await this.stop(signal);
    this.start();
  }

  /** One VmRSS sample of the running process (kB as /proc says). */
  sampleRss(): void {
    const pid = this.child?.pid;
    const life = this.lifetimes.at(-1);
    if (!pid || !life || !this.running) return;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) life.rss.push({ at: Date.now(), kib: Number(m[1]) });
    } catch {
      // exited between the check and the read
    }
  }

  output(): string {
    return readFileSync(this.logFile, "utf8");
  }

  async close(): Promise<void> {
    await this.stop("SIGTERM");
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}
