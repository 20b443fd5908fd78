/**
 * Server-Sent Events fan-out (WHATWG HTML §9.2). Each event is serialised once and written to every client.
 * A client that stops reading must not hold up the others or grow memory without bound: once more than
 * `maxBufferedBytes` wait in its socket's write buffer it is disconnected; its EventSource reconnects by itself
 * and starts again from a fresh snapshot, which is all a display needs. Comment lines (`: hb`) every
 * `heartbeatMs` keep proxies and NAT tables from closing an idle stream.
 */
import type { BurstLogger, Clock, Component, Logger, TimerHandle } from "@smarty/service-kit";

/** What the hub needs of a response; `http.ServerResponse` and any Writable fit. */
export interface SseSink {
  write(chunk: string): boolean;
  readonly writableLength: number;
  end(): void;
  destroy(): void;
  once(event: "close", listener: () => void): unknown;
}

export interface SseHubOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly burst: BurstLogger;
  /** Default 15 s. */
  readonly heartbeatMs?: number;
  /** Bytes allowed to wait for one client before it is dropped; default 256 KiB. */
  readonly maxBufferedBytes?: number;
  /** Concurrent streams; more are refused with 503. Default 64. */
  readonly maxClients?: number;
  /** Concurrent streams of one client address; more are refused with 429. Default 8. */
  readonly maxPerClient?: number;
}

/** Reconnect delay the browser uses after a drop (the `retry:` field). */
export const SSE_RETRY_MS = 3000;

/** Formats one SSE event; JSON never contains a raw newline, so one `data:` line suffices. */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseHub implements Component {
  readonly name = "sse";
  /** Each open stream with the address of its client. */
  private readonly clients = new Map<SseSink, string>();
  private readonly perClient = new Map<string, number>();
  private heartbeat: TimerHandle | undefined;
  private readonly maxBuffered: number;
  private readonly maxClients: number;
  private readonly maxPerClient: number;
  private readonly log: Logger;
  /** Clients disconnected because they fell behind, since start. */
  dropped = 0;
  /** Events written (one per client per event), since start. */
  sent = 0;

  constructor(private readonly o: SseHubOptions) {
    this.maxBuffered = o.maxBufferedBytes ?? 256 * 1024;
    this.maxClients = o.maxClients ?? 64;
    this.maxPerClient = o.maxPerClient ?? 8;
    this.log = o.logger.child({ component: "sse" });
  }

  get size(): number {
    return this.clients.size;
  }

  get full(): boolean {
    return this.clients.size >= this.maxClients;
  }

  /** True when `client` already has its share of streams. */
  fullFor(client: string): boolean {
    return (this.perClient.get(client) ?? 0) >= this.maxPerClient;
  }

  start(): void {
    this.heartbeat = this.o.clock.setInterval(() => this.writeAll(": hb\n\n"), this.o.heartbeatMs ?? 15_000);
  }

  stop(): void {
    if (this.heartbeat !== undefined) this.o.clock.clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const c of [...this.clients.keys()]) c.end();
    this.clients.clear();
    this.perClient.clear();
  }

  /**
   * Adds a client and writes `initial` (the snapshot) to it first; false when the hub is full, or `client` (its
   * address) has its share already.
   */
  add(sink: SseSink, initial: string, client = ""): boolean {
    if (this.full || this.fullFor(client)) return false;
    this.clients.set(sink, client);
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
    this.log.debug({ clients: this.clients.size }, "event stream opened");
    sink.once("close", () => {
      if (this.remove(sink)) this.log.debug({ clients: this.clients.size }, "event stream closed");
    });
    this.write(sink, `retry: ${SSE_RETRY_MS}\n\n${initial}`, true);
    return true;
  }

  /** Sends one event to every client. */
  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    this.writeAll(sseEvent(event, data));
  }

  private writeAll(chunk: string): void {
    for (const c of [...this.clients.keys()]) this.write(c, chunk, false);
  }

  private remove(sink: SseSink): boolean {
    const client = this.clients.get(sink);
    if (client === undefined) return false;
    this.clients.delete(sink);
    const n = (this.perClient.get(client) ?? 1) - 1;
    if (n > 0) this.perClient.set(client, n);
    else this.perClient.delete(client);
    return true;
  }

  private write(sink: SseSink, chunk: string, first: boolean): void {
    // The first chunk is always written: a snapshot larger than the limit must still reach a new client.
    if (!first && sink.writableLength + chunk.length > this.maxBuffered) {
      this.remove(sink);
      this.dropped++;
      this.o.burst.warn(
        "sse_slow_client",
        { buffered_bytes: sink.writableLength, limit_bytes: this.maxBuffered, dropped: this.dropped },
        "slow event stream client dropped",
      );
      sink.destroy();
      return;
    }
    sink.write(chunk);
    this.sent++;
  }
}
