/**
 * Serves the frame stream as a raw TCP server, the way serial-to-network bridges do (ser2net, ESP-Link, Ethernet
 * P1 dongles): every connected client gets every frame written after it connected, byte for byte, and nothing
 * is buffered for clients that are not there. A client that stops reading is dropped rather than letting memory
 * grow, as a bridge with a full socket buffer would.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { FrameOutput } from "./frame-output.js";

export interface TcpServerOutputOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: an ephemeral port, read it from `port` after start. */
  readonly port?: number;
  /** A client with more than this many bytes queued is disconnected (default 256 KiB, about 200 frames). */
  readonly maxQueuedBytes?: number;
}

export class TcpServerOutput implements FrameOutput {
  readonly closed = false;
  private server: Server | undefined;
  private readonly clients = new Set<Socket>();
  private boundPort = 0;
  private slowClients = 0;

  constructor(private readonly options: TcpServerOutputOptions = {}) {}

  get host(): string {
    return this.options.host ?? "127.0.0.1";
  }

  /** The listening port (after start). */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    const host = this.host.includes(":") ? `[${this.host}]` : this.host;
    return `tcp://${host}:${this.boundPort}`;
  }

  get description(): string {
    return this.url;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Clients disconnected because they did not keep up. */
  get droppedClients(): number {
    return this.slowClients;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    // A bridge is one-way here: what a client sends is read and ignored, so its buffers never fill.
    socket.resume();
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.clients.delete(socket));
    this.clients.add(socket);
  }

  write(bytes: Buffer): Promise<void> {
    const max = this.options.maxQueuedBytes ?? 256 * 1024;
    for (const socket of this.clients) {
      if (socket.writableLength > max) {
        this.slowClients++;
        this.clients.delete(socket);
        socket.destroy();
        continue;
      }
      socket.write(bytes);
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.clients) socket.destroy();
    this.clients.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
