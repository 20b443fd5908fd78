/**
 * `smarty replay FILE --mqtt URL`: a capture through the same pipeline as the service, as fast as the broker takes
 * it, then exit. Readings only by default (the consumers that rebuild history read those); the file is read with
 * flow control, so a capture of any length goes through the bounded queue without dropping anything.
 */
import type { Readable } from "node:stream";
import type { DecoderOptions } from "@smarty/p1";
import {
  type Clock,
  type Logger,
  MqttConnection,
  type MqttSettings,
  silentLogger,
  systemClock,
} from "@smarty/service-kit";
import { type Counters, IngestMonitor } from "./pipeline/ingest-monitor.js";
import { Pipeline } from "./pipeline/pipeline.js";
import { publishWithFlowControl } from "./publish/flow.js";
import { ReadingPublisher } from "./publish/reading-publisher.js";
import { FileSource } from "./sources/file-source.js";

export interface ReplayProgress {
  readonly bytesRead: number;
  readonly readings: number;
  readonly published: number;
}

export interface ReplayOptions {
  /** Capture file, or `-` for stdin. */
  readonly path: string;
  /** Read this stream instead of the path. */
  readonly stream?: Readable;
  readonly decoder: DecoderOptions;
  readonly mqtt: MqttSettings;
  /** Also publish the state topics (default false). */
  readonly states?: boolean;
  readonly instance?: string;
  readonly onProgress?: (p: ReplayProgress) => void;
  readonly progressIntervalMs?: number;
  readonly connectTimeoutMs?: number;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Stops the replay early (Ctrl-C); what was read is still flushed. */
  readonly signal?: AbortSignal;
}

export interface ReplayResult {
  readonly readings: number;
  readonly published: number;
  readonly failed: number;
  readonly counters: Counters;
  readonly elapsedMs: number;
  /** Stopped by the signal before the end of the input. */
  readonly aborted: boolean;
}

export async function replayCapture(options: ReplayOptions): Promise<ReplayResult> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const started = clock.now();
  const mqtt = new MqttConnection({
    settings: options.mqtt,
    service: "ingest",
    instance: options.instance ?? "replay",
    logger,
    transient: true,
  });
  await mqtt.start();
  try {
    await mqtt.waitConnected(options.connectTimeoutMs ?? 10_000);
  } catch (err) {
    await mqtt.stop();
    throw err;
  }
  const source = new FileSource({
    path: options.path,
    speed: "max",
    intervalMs: 0,
    clock,
    logger,
    ...(options.stream ? { stream: options.stream } : {}),
  });
  const publisher = new ReadingPublisher({
    mqtt,
    baseTopic: options.mqtt.baseTopic,
    instance: options.instance ?? "replay",
    clock,
    logger,
    queueLimit: 8640,
    states: options.states === true,
    stateRefreshMs: 300_000,
    shutdownTimeoutMs: 60_000,
  });
  const monitor = new IngestMonitor({ clock, logger });
  const publish = publishWithFlowControl(publisher, source);
  let readings = 0;
  const pipeline = new Pipeline({
    decoder: options.decoder,
    monitor,
    clock,
    logger,
    onReading: (r) => {
      readings++;
      publish(r);
    },
  });
  let aborted = false;
  const ended = new Promise<void>((resolve) => {
    source.once("end", resolve);
    options.signal?.addEventListener(
      "abort",
      () => {
        aborted = true;
        source.stop();
        resolve();
      },
      { once: true },
    );
  });
  source.on("data", (chunk) => pipeline.push(chunk));
  const progress = () =>
    options.onProgress?.({ bytesRead: source.bytesRead, readings, published: publisher.queue.published });
  const timer = clock.setInterval(progress, options.progressIntervalMs ?? 100);
  try {
    publisher.start();
    source.start();
    await ended;
    pipeline.end();
    await publisher.stop();
  } finally {
    clock.clearInterval(timer);
    source.stop();
    await mqtt.stop();
  }
  progress();
  return {
    readings,
    published: publisher.queue.published,
    failed: publisher.queue.failed,
    counters: { ...monitor.counters },
    elapsedMs: clock.now() - started,
    aborted,
  };
}
