/**
 * A raw TCP byte bridge in front of the P1 port (ser2net, ESP-Link, Ethernet P1 dongles). Such bridges often keep a
 * TCP connection open after their serial side died, so a connection with no byte for `idleTimeoutMs` (60 s: six
 * missed 10 s telegrams) is treated as dead and reopened.
 */
import { Socket } from "node:net";
import type { TimerHandle } from "@smarty/service-kit";
import { ReconnectingSource, type ReconnectOptions } from "./byte-source.js";

export interface TcpSourceOptions extends ReconnectOptions {
  readonly host: string;
  readonly port: number;
  readonly idleTimeoutMs?: number;
  /** Give up a connect attempt after this long (default 10 s). */
  readonly connectTimeoutMs?: number;
}

export class TcpSource extends ReconnectingSource {
  readonly description: string;
  private socket: Socket | undefined;
  private idleTimer: TimerHandle | undefined;
  private lastDataAt = 0;
  private readonly idleMs: number;

  constructor(private readonly tcp: TcpSourceOptions) {
    super(tcp);
    this.description = `tcp://${tcp.host}:${tcp.port}`;
    this.idleMs = tcp.idleTimeoutMs ?? 60_000;
  }

  protected openOnce(): Promise<void> {
    const clock = this.options.clock;
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timeout = clock.setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect timed out after ${this.tcp.connectTimeoutMs ?? 10_000} ms`));
      }, this.tcp.connectTimeoutMs ?? 10_000);
      socket.once("error", (err) => {
        clock.clearTimeout(timeout);
        reject(err);
      });
      socket.connect(this.tcp.port, this.tcp.host, () => {
        clock.clearTimeout(timeout);
        socket.removeAllListeners("error");
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        this.socket = socket;
        socket.on("data", (chunk: Buffer) => {
          this.lastDataAt = clock.now();
          this.data(chunk);
        });
        socket.on("error", (err) => this.lost(err.message));
        socket.on("close", () => this.lost("connection closed"));
        this.lastDataAt = clock.now();
        this.armIdle(this.idleMs);
        resolve();
      });
    });
  }

  /** One timer per idle period instead of one per chunk: on expiry it re-arms for the time still left. */
  private armIdle(ms: number): void {
    const clock = this.options.clock;
    this.idleTimer = clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.socket) return;
      const idle = clock.now() - this.lastDataAt;
      if (idle >= this.idleMs) this.lost(`no data for ${Math.round(idle / 1000)} s`);
      else this.armIdle(this.idleMs - idle);
    }, ms);
  }

  protected closeOnce(): Promise<void> {
    if (this.idleTimer !== undefined) this.options.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    socket.removeAllListeners("data");
    socket.removeAllListeners("close");
    socket.removeAllListeners("error");
    socket.on("error", () => undefined);
    socket.destroy();
    return Promise.resolve();
  }
}
