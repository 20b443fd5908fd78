/**
 * Health of the ingest for people and machines: the retained JSON on `<base>/ingest/<instance>/health`
 * (ingestHealthSchema in packages/contracts), published on every state change, on every broker (re)connect and
 * every `intervalMs`; and `GET /healthz` for Docker healthchecks (200 while the state is `ok` or `starting`,
 * 503 otherwise, the same JSON as body).
 */
import type { RequestListener } from "node:http";
import { encodePayload, type IngestHealth, topicMessage, topics } from "@smarty/contracts";
import type { IngestMonitor, MqttSink } from "@smarty/ingest-core";
import { BurstLogger, type Clock, type Component, type Logger, type TimerHandle } from "@smarty/service-kit";

export interface HealthReporterOptions {
  readonly mqtt: MqttSink;
  readonly baseTopic: string;
  readonly instance: string;
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly monitor: IngestMonitor;
  readonly snapshot: () => IngestHealth;
}

/** Longest wait for the broker to take the last health message on stop. */
const FINAL_HEALTH_TIMEOUT_MS = 1000;

export class HealthReporter implements Component {
  readonly name = "health";
  readonly topic: string;
  private timer: TimerHandle | undefined;
  private readonly burst: BurstLogger;
  private readonly publishNow = () => this.publish();

  constructor(private readonly options: HealthReporterOptions) {
    this.topic = topics.health(options.baseTopic, "ingest", options.instance);
    this.burst = new BurstLogger(options.logger.child({ component: "health" }), options.clock, 300_000);
  }

  start(): void {
    this.options.monitor.start();
    this.options.monitor.on("change", this.publishNow);
    this.options.mqtt.on("connect", this.publishNow);
    this.timer = this.options.clock.setInterval(this.publishNow, this.options.intervalMs);
    this.publish();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.clearInterval(this.timer);
    this.timer = undefined;
    this.options.monitor.stop();
    this.options.monitor.off("change", this.publishNow);
    this.options.mqtt.off("connect", this.publishNow);
    // The last counters, so the retained health says what happened before the stop; a frozen broker never acks,
    // so the wait is bounded (the publish itself stays with the client until it closes).
    if (this.options.mqtt.connected) await this.sendWithin(FINAL_HEALTH_TIMEOUT_MS);
    this.burst.flush();
  }

  publish(): void {
    if (!this.options.mqtt.connected) return;
    this.send().catch((err: unknown) =>
      this.burst.warn("health_failed", { err: { message: (err as Error)?.message } }, "health publish failed"),
    );
  }

  private sendWithin(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = this.options.clock.setTimeout(resolve, ms);
      this.send()
        .catch(() => undefined)
        .finally(() => {
          this.options.clock.clearTimeout(timer);
          resolve();
        });
    });
  }

  private send(): Promise<void> {
    const o = this.options;
    const m = topicMessage(o.baseTopic, "ingestHealth", { instance: o.instance }, o.snapshot());
    return o.mqtt.publish(m.topic, m.payload, { qos: 1, retain: m.retain });
  }
}

const HEALTHY = new Set(["ok", "starting"]);

/** `GET /healthz` → health JSON; 200 when healthy, 503 otherwise. Anything else is 404. */
export function healthzHandler(snapshot: () => IngestHealth): RequestListener {
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || path !== "/healthz") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const health = snapshot();
    res
      .writeHead(HEALTHY.has(health.state) ? 200 : 503, { "content-type": "application/json" })
      .end(encodePayload(health));
  };
}
