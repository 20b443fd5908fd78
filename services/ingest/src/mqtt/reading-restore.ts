/**
 * Frame counters and freshness live in memory, so without this one captured frame would be accepted again after
 * every restart. The broker already keeps what is needed: the last reading of each meter, retained on
 * `<base>/<meter_id>/reading`, with its telegram time and frame counter (readingSchema in packages/contracts). On
 * start, before the source is opened, this reads them back (the broker ACL lets ingest read its own reading topics,
 * mosquitto/generate-auth.sh) and hands them to the pipeline.
 *
 * The wait is bounded: a broker that is unreachable at start (connection refused) ends it at once, one that does not
 * answer ends it after `timeoutMs`; the restore then runs on the first connection and only ever moves state forward.
 * Readings of other ingest instances' meters come along too: system titles and meter ids are unique, so they are
 * harmless, and a meter moved to this instance keeps its protection.
 */
import { decodePayload, filters, readingSchema } from "@smarty/contracts";
import type { MqttSink } from "@smarty/ingest-core";
import type { Reading } from "@smarty/p1";
import type { Clock, Component, Logger, TimerHandle } from "@smarty/service-kit";

export interface ReadingRestoreOptions {
  readonly mqtt: MqttSink;
  readonly baseTopic: string;
  /**
   * A topic ingest may read and write, where an `online` passing through the broker marks the end of the retained
   * messages: the service's own status topic.
   */
  readonly syncTopic: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timeoutMs: number;
  readonly restore: (reading: Pick<Reading, "meter_id" | "time" | "frame">) => void;
}

export class ReadingRestore implements Component {
  readonly name = "restore";
  private readonly log: Logger;
  private readonly filter: string;
  private done = false;
  private running: Promise<void> | undefined;
  private readonly onConnect = () => {
    if (!this.done) void this.restore();
  };

  constructor(private readonly options: ReadingRestoreOptions) {
    this.log = options.logger.child({ component: "restore" });
    this.filter = filters.readings(options.baseTopic);
  }

  async start(): Promise<void> {
    const mqtt = this.options.mqtt;
    if (!mqtt.subscribe || !mqtt.unsubscribe) return;
    mqtt.on("connect", this.onConnect);
    const finished = await this.within(this.options.timeoutMs, async () => {
      if (!mqtt.connected && !(await this.connection())) return false;
      await this.restore();
      return true;
    });
    if (!finished) {
      this.log.warn(
        { timeout_ms: this.options.timeoutMs },
        "last readings not restored yet (broker not reachable): replays are detected from the next connection on",
      );
    }
  }

  stop(): void {
    this.options.mqtt.off("connect", this.onConnect);
  }

  private restore(): Promise<void> {
    this.running ??= this.read().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async read(): Promise<void> {
    const mqtt = this.options.mqtt;
    let meters = 0;
    let invalid = 0;
    try {
      // The broker queues the retained messages on the SUBACK (MQTT 3.1.1 §3.3.1.3); a message published after it to
      // another subscription of this client leaves the same outgoing queue behind them, so its arrival ends the read.
      // (A PUBACK is no such mark: a broker may write it ahead of the messages it has queued.)
      let marked: () => void = () => undefined;
      const marker = new Promise<void>((resolve) => {
        marked = resolve;
      });
      await mqtt.subscribe!(
        this.options.syncTopic,
        (_topic, payload, retained) => {
          if (!retained && payload.toString() === "online") marked();
        },
        0,
      );
      await mqtt.subscribe!(
        this.filter,
        (_topic, payload, retained) => {
          if (!retained) return;
          const decoded = decodePayload(readingSchema, payload);
          if (!decoded.ok) {
            invalid++;
            return;
          }
          meters++;
          this.options.restore(decoded.value);
        },
        0,
      );
      // Not retained: the retained status stays what the connection set; its subscribers see `online` once more.
      await mqtt.publish(this.options.syncTopic, "online", { qos: 1, retain: false });
      await marker;
      await mqtt.unsubscribe!(this.filter);
      await mqtt.unsubscribe!(this.options.syncTopic);
      this.done = true;
      this.log.info({ meters, invalid }, "last readings restored");
    } catch (err) {
      this.log.warn({ err: { message: (err as Error)?.message } }, "could not read the last readings back");
    }
  }

  /** Resolves true on connect, false when the attempt failed (connection refused). */
  private connection(): Promise<boolean> {
    const mqtt = this.options.mqtt;
    return new Promise((resolve) => {
      const settle = (ok: boolean) => () => {
        mqtt.off("connect", onConnect);
        mqtt.off("close", onClose);
        resolve(ok);
      };
      const onConnect = settle(true);
      const onClose = settle(false);
      mqtt.on("connect", onConnect);
      mqtt.on("close", onClose);
    });
  }

  private within(ms: number, work: () => Promise<boolean>): Promise<boolean> {
    return new Promise((resolve) => {
      const timer: TimerHandle = this.options.clock.setTimeout(() => resolve(false), ms);
      void work().then((ok) => {
        this.options.clock.clearTimeout(timer);
        resolve(ok);
      });
    });
  }
}
