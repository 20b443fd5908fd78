/**
 * The service's MQTT connection: Last Will `offline` on `<base>/<service>/<instance>/status`, `online` on every
 * (re)connect, `offline` before a clean stop (the zigbee2mqtt availability pattern). Subscriptions are routed by
 * filter; a handler that throws or rejects is logged and counted, never crashes the process. It is itself the
 * service's "mqtt" lifecycle component, and `send` publishes through the contracts' topic map, so a payload that
 * does not fit its topic does not compile.
 */
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import {
  type ServiceName,
  type TopicName,
  type TopicParams,
  type TopicPayload,
  topicMessage,
  topics,
} from "@smarty/contracts";
import mqtt, { type IClientOptions, type IClientPublishOptions, type MqttClient } from "mqtt";
import { BurstLogger } from "./burst-log.js";
import { type Clock, systemClock } from "./clock.js";
import type { MqttSettings } from "./config.js";
import type { Component } from "./lifecycle.js";
import type { Logger } from "./logger.js";

export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void | Promise<void>;

export interface MqttConnectionOptions {
  readonly settings: MqttSettings;
  readonly service: ServiceName;
  readonly instance: string;
  readonly logger: Logger;
  /** Delay between reconnect attempts; default 2 s. */
  readonly reconnectPeriodMs?: number;
  readonly clientId?: string;
  /** Clock of the burst logging window; the system clock by default. */
  readonly clock?: Clock;
  /** What the service does while the broker is away, logged once when an established connection is lost. */
  readonly whileAway?: string;
  /**
   * A one-off client (`smarty replay`), not a service that stays: a clean stop empties its retained status instead
   * of leaving `offline`, so pages and alerts do not show a reader that was never meant to keep running. A crash
   * still leaves the Last Will.
   */
  readonly transient?: boolean;
}

/** MQTT wildcard match (`+` one level, `#` the rest), MQTT 3.1.1 §4.7. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length) return false;
    if (f[i] !== "+" && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export class MqttConnection extends EventEmitter<{ connect: []; close: []; error: [Error] }> implements Component {
  readonly name = "mqtt";
  private client: MqttClient | undefined;
  private readonly routes: { filter: string; handler: MessageHandler }[] = [];
  private readonly statusTopic: string;
  private readonly log: Logger;
  /** A broker that is down for a night must not write one line per reconnect attempt to the SD card. */
  private readonly burst: BurstLogger;
  /** Messages whose handler threw or rejected. */
  handlerErrors = 0;
  /** Publishes handed to the client and not yet acknowledged (QoS 1) or written. */
  private inFlight = 0;
  /** Publishes still in flight when the connection was stopped: never sent or never acknowledged. */
  private abandoned = 0;

  constructor(private readonly options: MqttConnectionOptions) {
    super();
    this.statusTopic = topics.status(options.settings.baseTopic, options.service, options.instance);
    this.log = options.logger.child({ component: "mqtt" });
    this.burst = new BurstLogger(this.log, options.clock ?? systemClock, 300_000);
    // Broker errors are logged above and the client reconnects by itself; an "error" event without a listener
    // would otherwise throw and end the process while the broker is merely away.
    this.on("error", () => {});
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  get baseTopic(): string {
    return this.options.settings.baseTopic;
  }

  /** Connects in the background; resolves at once. The client keeps reconnecting while the broker is away. */
  start(): Promise<void> {
    const s = this.options.settings;
    const opts: IClientOptions = {
      protocolVersion: s.protocolVersion as 4 | 5,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 2000,
      connectTimeout: 10_000,
      clientId: this.options.clientId ?? `smarty-${this.options.service}-${this.options.instance}-${process.pid}`,
      clean: true,
      will: { topic: this.statusTopic, payload: Buffer.from("offline"), qos: 1, retain: true },
      ...(s.username ? { username: s.username } : {}),
      ...(s.password ? { password: s.password } : {}),
      ...(s.caFile ? { ca: readFileSync(s.caFile) } : {}),
    };
    const client = mqtt.connect(s.url, opts);
    this.client = client;
    client.on("connect", () => {
      this.log.info({ url: redactUrl(s.url) }, "mqtt connected");
      client.publish(this.statusTopic, "online", { qos: 1, retain: true });
      this.emit("connect");
    });
    let wasConnected = false;
    client.on("connect", () => {
      wasConnected = true;
    });
    client.on("close", () => {
      if (wasConnected && this.options.whileAway !== undefined) {
        this.log.warn({ url: redactUrl(s.url) }, `mqtt connection lost; ${this.options.whileAway}`);
      }
      wasConnected = false;
      this.emit("close");
    });
    client.on("error", (err) => {
      this.burst.warn(
        "mqtt_error",
        { err: { message: err.message, code: (err as { code?: unknown }).code } },
        "mqtt error",
      );
      this.emit("error", err);
    });
    client.on("message", (topic, payload, packet) => this.dispatch(topic, payload, packet.retain));
    return Promise.resolve();
  }

  /** Resolves once connected, or rejects after `timeoutMs`. */
  waitConnected(timeoutMs = 10_000): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off("connect", onConnect);
        reject(new Error(`MQTT broker not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnect = () => {
        clearTimeout(timer);
        resolve();
      };
      this.once("connect", onConnect);
    });
  }

  /**
   * Subscribes (QoS 1 unless told) and routes matching messages to `handler`. Resubscribed automatically on reconnect.
   * QoS 0 suits a one-off read of retained messages: the broker sends them at once, in order, outside its in-flight
   * window (MQTT 3.1.1 §4.6).
   */
  async subscribe(filter: string, handler: MessageHandler, qos: 0 | 1 = 1): Promise<void> {
    this.routes.push({ filter, handler });
    await this.requireClient().subscribeAsync(filter, { qos });
  }

  /** Ends a subscription and drops its handlers. */
  async unsubscribe(filter: string): Promise<void> {
    for (let i = this.routes.length - 1; i >= 0; i--) if (this.routes[i]!.filter === filter) this.routes.splice(i, 1);
    if (this.client) await this.client.unsubscribeAsync(filter);
  }

  async publish(topic: string, payload: string | Buffer, options: IClientPublishOptions = {}): Promise<void> {
    const client = this.requireClient();
    this.inFlight++;
    try {
      await client.publishAsync(topic, payload, { qos: 1, ...options });
    } finally {
      this.inFlight--;
    }
  }

  /** Publishes `value` on topic `name` of the topic map, QoS 1, with the retain flag of that topic. */
  send<N extends TopicName>(name: N, params: TopicParams<N>, value: TopicPayload<N>): Promise<void> {
    const m = topicMessage(this.baseTopic, name, params, value);
    return this.publish(m.topic, m.payload, { retain: m.retain });
  }

  /** After stop: publishes that were never sent or never acknowledged by the broker. */
  unflushed(): Record<string, number> {
    return { mqtt_messages: this.abandoned };
  }

  /** Publishes `offline` (a transient client: an empty retained status), then disconnects. Safe to call when never connected. */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.burst.flush();
    // The broker publishes the Last Will (`offline`) itself once it notices the lost connection.
    if (client.connected) {
      try {
        const last = this.options.transient ? "" : "offline";
        await withTimeout(client.publishAsync(this.statusTopic, last, { qos: 1, retain: true }), 2000);
      } catch (err) {
        this.log.warn({ err: { message: (err as Error).message } }, "offline status not published");
      }
      await withTimeout(client.endAsync(), 3000).catch(() => client.end(true));
    } else {
      this.log.warn({ reason: "broker unreachable" }, "offline status not published");
      client.end(true);
    }
    this.abandoned = this.inFlight;
  }

  private dispatch(topic: string, payload: Buffer, retained: boolean): void {
    for (const route of this.routes) {
      if (!topicMatches(route.filter, topic)) continue;
      try {
        const r = route.handler(topic, payload, retained);
        if (r instanceof Promise) r.catch((err: unknown) => this.handlerFailed(topic, err));
      } catch (err) {
        this.handlerFailed(topic, err);
      }
    }
  }

  private handlerFailed(topic: string, err: unknown): void {
    this.handlerErrors++;
    this.log.error({ err, topic }, "message handler failed");
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error("MQTT connection not started");
    return this.client;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * The broker URL without credentials, for logs. The user info ends at the LAST "@" (RFC 3986 §3.2.1 forbids a raw
 * "@" in it, but people paste passwords unencoded): everything up to it goes, so no piece of a password remains.
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/.*@/s, "//[redacted]@");
}
