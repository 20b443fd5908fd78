/**
 * The meter's P1 port through a USB serial cable. Smarty meters send at 115200 baud 8N1 (Luxmetering P1 spec
 * v1.1.3 §3.1, as DSMR 5.0.2 §4.1). When the cable is pulled the kernel hangs the device up: serialport reports a
 * disconnect (a read under way at that moment returns 0 bytes, which tty-binding.ts turns into one) and the port is
 * reopened with back-off until the device comes back. A port can
 * also die without any error (a hung USB-serial adapter, a pty whose other end went away): like a TCP bridge, a port
 * with no byte for `idleTimeoutMs` (60 s: six missed 10 s telegrams) is treated as lost and reopened.
 */
import type { TimerHandle } from "@smarty/service-kit";
import type { SerialPort } from "serialport";
import { ReconnectingSource, type ReconnectOptions } from "./byte-source.js";
import type { SourceSpec } from "./source-url.js";
import { hangupAwareBinding } from "./tty-binding.js";

export type SerialSpec = Extract<SourceSpec, { kind: "serial" }>;

/** serialport's own binding, with reads that end at a hangup instead of spinning (tty-binding.ts). */
let binding: typeof SerialPort.binding | undefined;

export class SerialSource extends ReconnectingSource {
  readonly description: string;
  private port: SerialPort | undefined;
  private idleTimer: TimerHandle | undefined;
  private lastDataAt = 0;
  private readonly idleMs: number;

  constructor(
    private readonly spec: SerialSpec,
    options: ReconnectOptions & { readonly idleTimeoutMs?: number },
  ) {
    super(options);
    this.description = `serial://${spec.path}?baud=${spec.baudRate}`;
    this.idleMs = options.idleTimeoutMs ?? 60_000;
  }

  /** One timer per idle period instead of one per chunk: on expiry it re-arms for the time still left. */
  private armIdle(ms: number): void {
    const clock = this.options.clock;
    this.idleTimer = clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.port) return;
      const idle = clock.now() - this.lastDataAt;
      if (idle >= this.idleMs) this.lost(`no data for ${Math.round(idle / 1000)} s`);
      else this.armIdle(this.idleMs - idle);
    }, ms);
  }

  protected async openOnce(): Promise<void> {
    // Loaded on first use: the native binding costs about 13 MB of RSS that TCP and file sources never need.
    const { SerialPort } = await import("serialport");
    binding ??= hangupAwareBinding(SerialPort.binding);
    // `binding` is not in the options' type, but SerialPort passes it on to its stream (serialport 13).
    const options = {
      binding,
      path: this.spec.path,
      baudRate: this.spec.baudRate,
      dataBits: this.spec.dataBits,
      parity: this.spec.parity,
      stopBits: this.spec.stopBits,
      autoOpen: false,
    };
    const port = new SerialPort(options);
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(err);
          return;
        }
        this.port = port;
        port.on("data", (chunk: Buffer) => {
          this.lastDataAt = this.options.clock.now();
          this.data(chunk);
        });
        this.lastDataAt = this.options.clock.now();
        this.armIdle(this.idleMs);
        port.on("close", (err: Error | null) => this.lost(err ? err.message : "port closed"));
        port.on("error", (err: Error) => this.lost(err.message));
        resolve();
      });
    });
  }

  protected closeOnce(): Promise<void> {
    if (this.idleTimer !== undefined) this.options.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const port = this.port;
    this.port = undefined;
    if (!port) return Promise.resolve();
    port.removeAllListeners("data");
    port.removeAllListeners("close");
    port.removeAllListeners("error");
    // A late error from a port being torn down must not become an unhandled 'error' event.
    port.on("error", () => undefined);
    if (!port.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
