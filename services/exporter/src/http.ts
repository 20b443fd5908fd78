/**
 * HTTP endpoints: `/metrics` renders the registry at scrape time (Prometheus text format 0.0.4), `/healthz` says
 * whether the exporter is connected to the broker (503 while it is not, so a container health check sees it).
 */
import express, { type Express } from "express";
import type { Registry } from "prom-client";

export interface HttpOptions {
  readonly registry: Registry;
  /** Whether the MQTT connection is up. */
  readonly connected: () => boolean;
  /** Meters currently exported. */
  readonly meters: () => number;
}

export function createHttpApp(o: HttpOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/metrics", async (_req, res) => {
    const body = await o.registry.metrics();
    res.set("Content-Type", o.registry.contentType).send(body);
  });
  app.get("/healthz", (_req, res) => {
    const mqtt = o.connected();
    res.status(mqtt ? 200 : 503).json({ status: mqtt ? "ok" : "mqtt_disconnected", mqtt, meters: o.meters() });
  });
  app.get("/", (_req, res) => {
    res.type("text/plain").send("smarty exporter: see /metrics and /healthz\n");
  });
  return app;
}
