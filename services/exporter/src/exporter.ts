/**
 * Builds the exporter from a parsed config: caches, registry, MQTT subscriber and HTTP server, as lifecycle
 * components in start order. `main.ts` runs them; tests build them with a ManualClock and port 0.
 */
import {
  BurstLogger,
  type Clock,
  type Component,
  HttpServerComponent,
  type Logger,
  MqttConnection,
  mqttSettings,
  systemClock,
} from "@smarty/service-kit";
import type { ExporterConfig } from "./config.js";
import { createHttpApp } from "./http.js";
import { IngestStatus } from "./ingest-status.js";
import { createMetrics, type ExporterMetrics } from "./metrics-registry.js";
import { ReadingCache } from "./reading-cache.js";
import { ReadingSubscriber } from "./subscriber.js";

export interface ExporterDeps {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** MQTT reconnect delay (tests shorten it). */
  readonly reconnectPeriodMs?: number;
  readonly defaultMetrics?: boolean;
}

export interface Exporter {
  readonly components: readonly Component[];
  readonly cache: ReadingCache;
  readonly ingest: IngestStatus;
  readonly metrics: ExporterMetrics;
  readonly connection: MqttConnection;
  readonly subscriber: ReadingSubscriber;
  readonly http: HttpServerComponent;
}

export function createExporter(config: ExporterConfig, deps: ExporterDeps): Exporter {
  const clock = deps.clock ?? systemClock;
  const cache = new ReadingCache({ clock, staleAfterMs: config.EXPORTER_STALE_AFTER });
  const ingest = new IngestStatus();
  const metrics = createMetrics({
    cache,
    ingest,
    powerClassWatts: config.EXPORTER_POWER_CLASS,
    ...(deps.defaultMetrics === undefined ? {} : { defaultMetrics: deps.defaultMetrics }),
  });
  const connection = new MqttConnection({
    settings: mqttSettings(config),
    service: "exporter",
    instance: config.SMARTY_INSTANCE,
    logger: deps.logger,
    ...(deps.reconnectPeriodMs === undefined ? {} : { reconnectPeriodMs: deps.reconnectPeriodMs }),
  });
  const subscriber = new ReadingSubscriber({
    connection,
    cache,
    ingest,
    rejected: metrics.rejected,
    burst: new BurstLogger(deps.logger.child({ component: "subscriber" }), clock),
    logger: deps.logger,
  });
  const app = createHttpApp({
    registry: metrics.registry,
    connected: () => connection.connected,
    meters: () => cache.fresh().length,
  });
  const http = new HttpServerComponent(app, config.EXPORTER_PORT, config.EXPORTER_HOST, "http");
  // HTTP first: /metrics and /healthz answer even while the broker is unreachable.
  const components: Component[] = [http, connection, subscriber];
  return { components, cache, ingest, metrics, connection, subscriber, http };
}
