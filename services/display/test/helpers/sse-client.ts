/**
 * A minimal Server-Sent Events reader over node:http for tests: parses `event:`/`data:` blocks (WHATWG HTML
 * §9.2.6) into a list, keeps comment lines apart, and waits for an event with `waitFor`.
 */
import { type ClientRequest, request } from "node:http";
import { waitFor } from "@smarty/testkit";

export interface SseMessage {
  readonly event: string;
  readonly data: unknown;
}

export interface SseClient {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly events: SseMessage[];
  readonly comments: string[];
  readonly closed: () => boolean;
  /** Resolves with the first event named `event` after index `from` that satisfies `match`. */
  next<T = unknown>(event: string, match?: (data: T) => boolean, from?: number): Promise<T>;
  close(): void;
}

export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    const events: SseMessage[] = [];
    const comments: string[] = [];
    let closed = false;
    let buffer = "";
    req = request(url, { headers: { Accept: "text/event-stream", ...headers } }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) comments.push(line.slice(1).trim());
            else if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: JSON.parse(data.join("\n")) });
          end = buffer.indexOf("\n\n");
        }
      });
      res.on("close", () => {
        closed = true;
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        closed: () => closed,
        next<T>(event: string, match: (data: T) => boolean = () => true, from = 0) {
          return waitFor(
            () => events.slice(from).find((e) => e.event === event && match(e.data as T))?.data as T | undefined,
            5000,
            `SSE event '${event}'`,
            10,
          ) as Promise<T>;
        },
        close() {
          req.destroy();
        },
      });
    });
    req.on("error", (err) => {
      closed = true;
      reject(err);
    });
    req.end();
  });
}
