/**
 * Integration harness: the real ingest (createIngest) with a ManualClock for its own timers, captured logs, and an
 * MQTT subscriber that records what the broker delivers.
 */
import { createLogger, type Logger, ManualClock } from "@smarty/service-kit";
import { waitFor } from "@smarty/testkit";
import { type CapturedLogs, captureLogs } from "@smarty/testkit/capture-logs";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { loadIngestConfig } from "../../src/config.js";
import { createIngest, type Ingest, type IngestDeps } from "../../src/service.js";

export interface Harness {
  readonly ingest: Ingest;
  readonly clock: ManualClock;
  readonly logs: CapturedLogs<Logger>;
}

export function buildIngest(env: Record<string, string>, deps: Partial<IngestDeps> = {}): Harness {
  const clock = new ManualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
  const logs = captureLogs(createLogger, "ingest", "debug");
  // The harness clock stands still while test frames carry later times: a day of tolerance unless a test says.
  const config = loadIngestConfig({ INGEST_HTTP_PORT: "0", INGEST_CLOCK_TOLERANCE: "1d", ...env });
  const ingest = createIngest(config, {
    logger: logs.logger,
    clock,
    httpHost: "127.0.0.1",
    mqttReconnectPeriodMs: 100,
    ...deps,
  });
  return { ingest, clock, logs };
}

export interface Received {
  readonly topic: string;
  readonly payload: string;
  readonly retain: boolean;
}

export interface Subscriber {
  readonly client: MqttClient;
  readonly messages: Received[];
  /** Payloads (parsed JSON) of live (non-retained) messages on topics ending in `suffix`. */
  live(suffix: string): Record<string, unknown>[];
  /** The last payload on a topic, retained or not. */
  last(topic: string): string | undefined;
  /**
   * Round trip through the broker: the broker handles a client's packets in order, so once this QoS 1 publish is
   * acknowledged, the PUBACKs for everything received before it have been processed too.
   */
  sync(): Promise<void>;
  end(): Promise<void>;
}

export async function subscribe(url: string, filters: string[], options: IClientOptions = {}): Promise<Subscriber> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 100, ...options });
  const messages: Received[] = [];
  client.on("error", () => undefined);
  client.on("message", (topic, payload, packet) =>
    messages.push({ topic, payload: payload.toString("utf8"), retain: packet.retain }),
  );
  await client.subscribeAsync(filters, { qos: 1 });
  return {
    client,
    messages,
    live: (suffix) =>
      messages
        .filter((m) => !m.retain && m.topic.endsWith(suffix))
        .map((m) => JSON.parse(m.payload) as Record<string, unknown>),
    last: (topic) => messages.filter((m) => m.topic === topic).at(-1)?.payload,
    sync: async () => {
      await client.publishAsync("test/sync", "", { qos: 1 });
    },
    end: () => client.endAsync(),
  };
}

/** Waits until the ingest's broker connection is up. */
export function connected(h: Harness): Promise<boolean> {
  return waitFor(() => h.ingest.mqtt.connected, 10_000, "ingest connected to the broker");
}

/** Advances the ingest's clock by `stepMs` on every poll until `check` holds (reconnect back-off, timers). */
export function advanceUntil<T>(h: Harness, check: () => T, what: string, stepMs = 1000, timeoutMs = 15_000) {
  return waitFor(
    () => {
      const v = check();
      if (!v) h.clock.advance(stepMs);
      return v;
    },
    timeoutMs,
    what,
  );
}
