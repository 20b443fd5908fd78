/**
 * Starts and stops an HTTP listener (express app or plain handler) as a lifecycle component.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Component } from "./lifecycle.js";

export class HttpServerComponent implements Component {
  readonly name: string;
  private server: Server | undefined;

  constructor(
    private readonly handler: RequestListener,
    private readonly port: number,
    private readonly host = "0.0.0.0",
    name = "http",
  ) {
    this.name = name;
  }

  /** The bound port (useful with port 0 in tests). */
  get boundPort(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.port;
  }

  start(): Promise<void> {
    const server = createServer(this.handler);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, this.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
