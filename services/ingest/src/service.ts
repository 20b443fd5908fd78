/**
 * Builds the ingest from its parsed config: source → pipeline → publisher, plus health and `/healthz`. Exported so
 * tests (and `smarty replay`) assemble the real thing in-process with their own clock, source or connection.
 */
import { type IngestHealth, topics } from "@smarty/contracts";
import {
  type ByteSource,
  ClockCheck,
  createSource,
  IngestMonitor,
  type MqttSink,
  Pipeline,
  publishWithFlowControl,
  ReadingPublisher,
} from "@smarty/ingest-core";
import type { DecoderOptions } from "@smarty/p1";
import {
  type Clock,
  type Component,
  HttpServerComponent,
  type Logger,
  MqttConnection,
  mqttSettings,
  redactUrl,
  startAll,
  systemClock,
} from "@smarty/service-kit";
import type { IngestConfig } from "./config.js";
import { HealthReporter, healthzHandler } from "./mqtt/health.js";
import { ReadingRestore } from "./mqtt/reading-restore.js";
import { SHUTDOWN_GRACE_MS, stopWithin } from "./shutdown.js";

/** Longest wait at start for the retained readings (frame counters across restarts), see reading-restore.ts. */
const RESTORE_TIMEOUT_MS = 5000;

export interface IngestDeps {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Replaces the source built from SMARTY_SOURCE. */
  readonly source?: ByteSource;
  /** Replaces the MqttConnection built from MQTT_*. */
  readonly mqtt?: MqttSink & Component;
  /** Delay between broker reconnect attempts (default 2 s). */
  readonly mqttReconnectPeriodMs?: number;
  /** Interface of `/healthz` (default all). */
  readonly httpHost?: string;
  /** Readings in flight at once. */
  readonly publishWindow?: number;
}

export interface Ingest {
  readonly components: readonly Component[];
  readonly source: ByteSource;
  readonly pipeline: Pipeline;
  readonly monitor: IngestMonitor;
  readonly publisher: ReadingPublisher;
  readonly health: HealthReporter;
  readonly http: HttpServerComponent;
  readonly mqtt: MqttSink & Component;
  snapshot(): IngestHealth;
  start(): Promise<void>;
  /** Stops every component; bounded by INGEST_SHUTDOWN_TIMEOUT plus a short grace for the broker goodbye. */
  stop(): Promise<void>;
  /** The whole ingest as one lifecycle component, for `runService` (its stop is the bounded one). */
  readonly lifecycle: Component;
}

/** The decoder options from the config: one key, per-meter keys, tag verification. */
export function decoderOptions(config: IngestConfig): DecoderOptions {
  return {
    ...(config.SMARTY_KEY ? { key: config.SMARTY_KEY } : {}),
    ...(config.SMARTY_KEYS.size > 0 ? { keysBySystemTitle: config.SMARTY_KEYS } : {}),
    ...(config.INGEST_AUTHENTICATION_KEY ? { authenticationKey: config.INGEST_AUTHENTICATION_KEY } : {}),
    verifyTag: config.SMARTY_VERIFY_TAG,
  };
}

export function createIngest(config: IngestConfig, deps: IngestDeps): Ingest {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const log = logger.child({ component: "ingest" });
  const startedAt = clock.now();
  const base = config.MQTT_BASE_TOPIC;
  const instance = config.SMARTY_INSTANCE;

  const source =
    deps.source ??
    createSource(config.SMARTY_SOURCE, {
      clock,
      logger,
      reconnectMinMs: config.INGEST_RECONNECT_MIN,
      reconnectMaxMs: config.INGEST_RECONNECT_MAX,
      idleTimeoutMs: config.INGEST_IDLE_TIMEOUT,
    });
  const mqtt =
    deps.mqtt ??
    new MqttConnection({
      settings: mqttSettings(config),
      service: "ingest",
      instance,
      logger,
      clock,
      whileAway: "readings are queued",
      ...(deps.mqttReconnectPeriodMs !== undefined ? { reconnectPeriodMs: deps.mqttReconnectPeriodMs } : {}),
    });
  const monitor = new IngestMonitor({
    clock,
    logger,
    failureRun: config.INGEST_WRONG_KEY_AFTER,
    noFramesTimeoutMs: config.INGEST_NO_FRAMES_TIMEOUT,
  });
  const publisher = new ReadingPublisher({
    mqtt,
    baseTopic: base,
    instance,
    clock,
    logger,
    queueLimit: config.INGEST_QUEUE_LIMIT,
    queueBytes: config.INGEST_QUEUE_BYTES,
    stateRefreshMs: config.SMARTY_STATE_REFRESH,
    discoveryPrefix: config.SMARTY_HA_DISCOVERY ? config.SMARTY_HA_DISCOVERY_PREFIX : undefined,
    shutdownTimeoutMs: config.INGEST_SHUTDOWN_TIMEOUT,
    ...(deps.publishWindow !== undefined ? { window: deps.publishWindow } : {}),
  });
  const pipeline = new Pipeline({
    decoder: decoderOptions(config),
    monitor,
    clock,
    logger,
    allowPlaintext: config.SMARTY_ALLOW_PLAINTEXT,
    // A capture file replays the past by nature: meter time is only held against the clocks for a live meter.
    ...(config.SMARTY_SOURCE.kind !== "file"
      ? { clockCheck: new ClockCheck({ toleranceMs: config.INGEST_CLOCK_TOLERANCE, clock, logger }) }
      : {}),
    onReading: publishWithFlowControl(publisher, source),
  });
  source.on("data", (chunk) => pipeline.push(chunk));
  source.on("open", () => monitor.sourceOpened());
  source.on("lost", () => {
    pipeline.reset();
    monitor.sourceLost();
  });
  source.on("end", () => {
    pipeline.end();
    monitor.sourceEnded();
    log.info({ source: source.description }, "end of input");
  });

  const snapshot = () =>
    monitor.snapshot({
      instance,
      source: source.description,
      startedAt,
      reconnects: source.reconnects,
      queueLength: publisher.queue.length,
      dropped: publisher.queue.dropped,
    });
  const health = new HealthReporter({
    mqtt,
    baseTopic: base,
    instance,
    intervalMs: config.INGEST_HEALTH_INTERVAL,
    clock,
    logger,
    monitor,
    snapshot,
  });
  const http = new HttpServerComponent(healthzHandler(snapshot), config.INGEST_HTTP_PORT, deps.httpHost, "http");
  const logs: Component = { name: "logs", start: () => undefined, stop: () => pipeline.flushLogs() };
  // Before the source opens, so the first frame after a restart is already judged against the last published one.
  const restore = new ReadingRestore({
    mqtt,
    baseTopic: base,
    syncTopic: topics.status(base, "ingest", instance),
    clock,
    logger,
    timeoutMs: RESTORE_TIMEOUT_MS,
    restore: (reading) => pipeline.restore(reading),
  });
  const components: Component[] = [mqtt, restore, publisher, health, http, logs, source];
  logStart(config, log, source.description);
  const start = () => startAll(components, logger);
  const stop = () =>
    stopWithin({
      components,
      logger,
      clock,
      deadlineMs: config.INGEST_SHUTDOWN_TIMEOUT + SHUTDOWN_GRACE_MS,
      queued: () => publisher.queue.length,
    });

  return {
    components,
    source,
    pipeline,
    monitor,
    publisher,
    health,
    http,
    mqtt,
    snapshot,
    start,
    stop,
    lifecycle: { name: "ingest", start, stop },
  };
}

function logStart(config: IngestConfig, log: Logger, source: string): void {
  log.info(
    {
      source,
      mqtt_url: redactUrl(config.MQTT_URL),
      base_topic: config.MQTT_BASE_TOPIC,
      instance: config.SMARTY_INSTANCE,
      key_configured: config.SMARTY_KEY !== undefined,
      meter_keys: config.SMARTY_KEYS.size,
      allow_plaintext: config.SMARTY_ALLOW_PLAINTEXT,
      ha_discovery: config.SMARTY_HA_DISCOVERY,
      http_port: config.INGEST_HTTP_PORT,
      queue_limit: config.INGEST_QUEUE_LIMIT,
      queue_bytes: config.INGEST_QUEUE_BYTES,
      clock_tolerance_ms: config.SMARTY_SOURCE.kind === "file" ? 0 : config.INGEST_CLOCK_TOLERANCE,
    },
    "ingest configured",
  );
  if (!config.SMARTY_VERIFY_TAG) {
    log.warn(
      { setting: "SMARTY_VERIFY_TAG" },
      "GCM tag verification is off: frames are checked by their CRC only, tampering is not detected",
    );
  }
}
