/**
 * The display's HTTP surface, read-only: the page and its files, `/events` (Server-Sent Events), the JSON API
 * (`/api/meters`, `/api/meters/:id/now`) and `/healthz`. Anything but GET/HEAD is refused with 405.
 */
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import type { Asset } from "./assets.js";
import { type BasicAuthCredentials, basicAuth, hostGuard, securityHeaders } from "./security.js";
import type { Views } from "./snapshot.js";
import { type SseHub, sseEvent } from "./sse-hub.js";

export interface HealthReport {
  readonly mqtt: boolean;
  readonly meters: number;
  readonly clients: number;
  readonly rejected: number;
  readonly dropped_clients: number;
}

export interface HttpAppOptions {
  readonly assets: ReadonlyMap<string, Asset>;
  readonly views: Views;
  readonly hub: SseHub;
  readonly health: () => HealthReport;
  /** Require these credentials everywhere except /healthz. */
  readonly basicAuth?: BasicAuthCredentials | undefined;
  /** Host names served besides IP literals and localhost (DISPLAY_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly string[];
}

/** The client's address as the hub counts it: an IPv4-mapped IPv6 address is the IPv4 device it stands for. */
function clientAddress(req: Request): string {
  const a = req.socket.remoteAddress ?? "";
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}

function readOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.method === "GET" || req.method === "HEAD") {
    next();
    return;
  }
  res.status(405).set("Allow", "GET, HEAD").type("text/plain").send("read-only\n");
}

export function createHttpApp(o: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(securityHeaders, hostGuard(o.allowedHosts ?? []), readOnly);
  if (o.basicAuth) app.use(basicAuth(o.basicAuth, ["/healthz"]));

  app.get("/healthz", (_req, res) => {
    const h = o.health();
    res
      .status(h.mqtt ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ status: h.mqtt ? "ok" : "mqtt_disconnected", ...h });
  });

  app.get("/events", (req, res) => {
    if (req.method === "HEAD") {
      res.status(200).type("text/event-stream").end();
      return;
    }
    const client = clientAddress(req);
    if (o.hub.full) {
      res.status(503).set("Retry-After", "10").type("text/plain").send("too many event streams\n");
      return;
    }
    if (o.hub.fullFor(client)) {
      // One device (a tab left open many times, a misbehaving script) must not lock the tablet out.
      res
        .status(429)
        .set("Retry-After", "10")
        .type("text/plain")
        .send("too many event streams from this address (DISPLAY_MAX_STREAMS_PER_CLIENT)\n");
      return;
    }
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      // Tells nginx-style reverse proxies not to buffer the stream.
      "X-Accel-Buffering": "no",
    });
    res.socket?.setNoDelay(true);
    o.hub.add(res, sseEvent("snapshot", o.views.snapshot()), client);
  });

  app.get("/api/meters", (_req, res) => {
    res.set("Cache-Control", "no-store").json(o.views.apiMeters());
  });

  app.get("/api/meters/:id/now", (req, res) => {
    const entry = o.views.find(String(req.params.id));
    res.set("Cache-Control", "no-store");
    if (!entry) {
      res.status(404).json({ error: "unknown meter" });
      return;
    }
    res.json(o.views.view(entry));
  });

  app.use((req, res) => {
    const asset = o.assets.get(req.path);
    if (!asset) {
      res.status(404).type("text/plain").send("not found\n");
      return;
    }
    // Small files on a LAN: always revalidate, so an upgrade never leaves a tablet on an old script.
    res.set({ "Content-Type": asset.type, "Cache-Control": "no-cache", ETag: asset.etag });
    if (req.headers["if-none-match"] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.status(200).end(req.method === "HEAD" ? undefined : asset.body);
  });
  return app;
}
