/**
 * The two ways bytes reach an ingest: a TCP bridge (the CLI's TcpServerOutput, as ser2net would serve them) that
 * can drop its clients, and a serial cable (a socat pty pair) that can be unplugged and plugged back.
 */
import { TcpServerOutput } from "@smarty/cli";
import { type PtyPair, startPtyPair } from "@smarty/testkit";
import type { BytePath } from "./meter-feed.js";

export class TcpBridge implements BytePath {
  readonly kind = "tcp";
  private server: TcpServerOutput;
  private up = true;

  private constructor(readonly port: number) {
    this.server = new TcpServerOutput({ port });
  }

  static async start(): Promise<TcpBridge> {
    const probe = new TcpServerOutput();
    await probe.start();
    const port = probe.port;
    await probe.stop();
    const b = new TcpBridge(port);
    await b.server.start();
    return b;
  }

  get url(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  connected(): boolean {
    return this.up && this.server.clientCount > 0;
  }

  write(bytes: Buffer): Promise<void> {
    return this.server.write(bytes);
  }

  /** The bridge drops every client and stops listening (Wi-Fi gone). */
  async drop(): Promise<void> {
    this.up = false;
    await this.server.stop();
  }

  async restore(): Promise<void> {
    this.server = new TcpServerOutput({ port: this.port });
    await this.server.start();
    this.up = true;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

export class SerialCable implements BytePath {
  readonly kind = "serial";
  private plugged = true;

  private constructor(private readonly pty: PtyPair) {}

  static async start(): Promise<SerialCable> {
    return new SerialCable(await startPtyPair());
  }

  get url(): string {
    return `serial://${this.pty.device}`;
  }

  connected(): boolean {
    return this.plugged;
  }

  write(bytes: Buffer): Promise<void> {
    return this.pty.write(bytes);
  }

  async unplug(): Promise<void> {
    this.plugged = false;
    await this.pty.unplug();
  }

  async replug(): Promise<void> {
    await this.pty.replug();
    this.plugged = true;
  }

  stop(): Promise<void> {
    return this.pty.stop();
  }
}
