/**
 * Turns verified readings into the MQTT contract of packages/contracts (docs/mqtt.md), QoS 1:
 * - `<base>/<meter_id>/reading`: the full reading JSON, retained;
 * - `<base>/<meter_id>/state/<key>`: one plain value per registry key, retained, when it changed or every
 *   `stateRefreshMs`;
 * - Home Assistant discovery, retained, once per meter per broker connection (and again when new keys appear).
 * Readings wait in the bounded PublishQueue while the broker is away and go out in order after reconnect.
 */
import { homeAssistantDiscovery, stateValues, topicMap } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { BurstLogger, type Clock, type Component, type Logger } from "@smarty/service-kit";
import { PublishQueue } from "./publish-queue.js";

/** What the publisher needs from the broker connection (MqttConnection from service-kit fits). */
export interface MqttSink {
  readonly connected: boolean;
  publish(topic: string, payload: string | Buffer, options: { qos: 1; retain: boolean }): Promise<void>;
  on(event: "connect" | "close", listener: () => void): unknown;
  off(event: "connect" | "close", listener: () => void): unknown;
  /** Present on a real connection: `reading-restore.ts` reads the retained readings back with it. */
  subscribe?(
    filter: string,
    handler: (topic: string, payload: Buffer, retained: boolean) => void,
    qos?: 0 | 1,
  ): Promise<void>;
  unsubscribe?(filter: string): Promise<void>;
}

export interface ReadingPublisherOptions {
  readonly mqtt: MqttSink;
  readonly baseTopic: string;
  readonly instance: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly queueLimit: number;
  /** Bytes the queued readings may take (their JSON), default unbounded. */
  readonly queueBytes?: number;
  /** Readings in flight at once. */
  readonly window?: number;
  /** Publish state topics (default true; `smarty replay` turns them off). */
  readonly states?: boolean;
  readonly stateRefreshMs: number;
  /** Home Assistant discovery prefix, or undefined to leave discovery off. */
  readonly discoveryPrefix?: string | undefined;
  /** Bounded wait for the queue to drain on stop. */
  readonly shutdownTimeoutMs: number;
}

interface QueuedReading {
  readonly meterId: string;
  /** The reading as JSON: a third of the memory of the object, so a full day fits in the RSS budget. */
  readonly json: string;
}

/**
 * Heap bytes of a queued reading: V8 keeps the ASCII JSON as a one-byte string (one byte a character, two for text
 * beyond Latin-1, which only a long message can bring), plus the string and object headers.
 */
function queuedSize(item: QueuedReading): number {
  return item.json.length + item.meterId.length + 64;
}

interface LastState {
  value: string;
  at: number;
}

export class ReadingPublisher implements Component {
  readonly name = "publisher";
  readonly queue: PublishQueue<QueuedReading>;
  private readonly states = new Map<string, Map<string, LastState>>();
  /** Meter id → keys announced to Home Assistant on this connection. */
  private readonly announced = new Map<string, Set<string>>();
  private readonly log: Logger;
  private readonly burst: BurstLogger;
  /** Messages the broker refused (ACL) or that failed; the reading itself still counts as sent. */
  failedMessages = 0;
  private readonly onConnect = () => {
    this.announced.clear();
    this.queue.pump();
  };

  constructor(private readonly options: ReadingPublisherOptions) {
    this.log = options.logger.child({ component: "publisher" });
    this.burst = new BurstLogger(this.log, options.clock, 60_000);
    this.queue = new PublishQueue<QueuedReading>({
      limit: options.queueLimit,
      ...(options.queueBytes !== undefined ? { byteLimit: options.queueBytes } : {}),
      size: queuedSize,
      ...(options.window !== undefined ? { window: options.window } : {}),
      send: (item) => this.send(item),
      isOpen: () => options.mqtt.connected,
      clock: options.clock,
      logger: options.logger,
    });
  }

  start(): void {
    this.options.mqtt.on("connect", this.onConnect);
    this.queue.pump();
  }

  /** Waits (bounded) for the queue to drain, and says what could not be sent. */
  async stop(): Promise<void> {
    const remaining = await this.queue.flush(this.options.shutdownTimeoutMs);
    this.options.mqtt.off("connect", this.onConnect);
    this.queue.flushLogs();
    this.burst.flush();
    if (remaining > 0) {
      this.log.warn(
        { queue_length: remaining, timeout_ms: this.options.shutdownTimeoutMs },
        "publish queue not empty at stop: readings not published",
      );
    } else {
      this.log.info({ published: this.queue.published }, "publish queue flushed");
    }
  }

  publish(reading: Reading): void {
    // Encoded now, through the topic map's reading entry: the queue holds the JSON, not the object.
    this.queue.enqueue({ meterId: reading.meter_id, json: topicMap.reading.encode(reading) });
  }

  private async send(item: QueuedReading): Promise<void> {
    const o = this.options;
    const out: [string, string][] = [];
    const wantStates = o.states !== false;
    if (wantStates || o.discoveryPrefix !== undefined) {
      const reading = JSON.parse(item.json) as Reading;
      const values = stateValues(reading);
      if (o.discoveryPrefix !== undefined) this.discovery(reading, values, out);
      out.push([topicMap.reading.topic(o.baseTopic, item), item.json]);
      if (wantStates) this.changedStates(item.meterId, values, out);
    } else {
      out.push([topicMap.reading.topic(o.baseTopic, item), item.json]);
    }
    const results = await Promise.allSettled(
      out.map(([topic, payload]) => o.mqtt.publish(topic, payload, { qos: 1, retain: true })),
    );
    // One refused message (an ACL without the discovery prefix, MQTT 5 reason 135) must not hold back the others.
    results.forEach((r, i) => {
      if (r.status === "fulfilled") return;
      this.failedMessages++;
      const topic = out[i]![0];
      this.burst.warn(
        `refused_${topic.split("/")[0]}`,
        { topic, err: { message: (r.reason as Error)?.message } },
        "message refused by the broker",
      );
    });
  }

  private changedStates(meterId: string, values: ReturnType<typeof stateValues>, out: [string, string][]): void {
    const now = this.options.clock.now();
    let last = this.states.get(meterId);
    if (!last) {
      last = new Map();
      this.states.set(meterId, last);
    }
    for (const { key, value } of values) {
      const prev = last.get(key);
      if (prev && prev.value === value && now - prev.at < this.options.stateRefreshMs) continue;
      last.set(key, { value, at: now });
      out.push([topicMap.state.topic(this.options.baseTopic, { meterId, key }), value]);
    }
  }

  private discovery(reading: Reading, values: ReturnType<typeof stateValues>, out: [string, string][]): void {
    const keys = new Set(values.map((v) => v.key));
    const done = this.announced.get(reading.meter_id);
    if (done && [...keys].every((k) => done.has(k))) return;
    const all = new Set([...(done ?? []), ...keys]);
    this.announced.set(reading.meter_id, all);
    const messages = homeAssistantDiscovery({
      baseTopic: this.options.baseTopic,
      meterId: reading.meter_id,
      instance: this.options.instance,
      prefix: this.options.discoveryPrefix ?? "homeassistant",
      model: reading.header,
      version: reading.version,
      keys: all,
    });
    for (const m of messages) out.push([m.topic, JSON.stringify(m.payload)]);
    this.log.info({ meter_id: reading.meter_id, sensors: messages.length }, "home assistant discovery published");
  }
}
