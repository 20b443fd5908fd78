/**
 * `SMARTY_SOURCE` spec → the byte source that reads it.
 */
import type { Readable } from "node:stream";
import { type Clock, type Logger, silentLogger, systemClock } from "@smarty/service-kit";
import type { ByteSource } from "./byte-source.js";
import { FileSource } from "./file-source.js";
import { SerialSource } from "./serial-source.js";
import type { SourceSpec } from "./source-url.js";
import { TcpSource } from "./tcp-source.js";

export interface SourceDeps {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly logger?: Logger;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** TCP: a connection without a byte for this long is reopened. */
  readonly idleTimeoutMs?: number;
  /** Replaces stdin for `-` (tests). */
  readonly stdin?: Readable;
}

export function createSource(spec: SourceSpec, deps: SourceDeps = {}): ByteSource {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger();
  const reconnect = {
    clock,
    logger,
    ...(deps.reconnectMinMs !== undefined ? { reconnectMinMs: deps.reconnectMinMs } : {}),
    ...(deps.reconnectMaxMs !== undefined ? { reconnectMaxMs: deps.reconnectMaxMs } : {}),
  };
  switch (spec.kind) {
    case "serial":
      return new SerialSource(spec, {
        ...reconnect,
        ...(deps.idleTimeoutMs !== undefined ? { idleTimeoutMs: deps.idleTimeoutMs } : {}),
      });
    case "tcp":
      return new TcpSource({
        ...reconnect,
        host: spec.host,
        port: spec.port,
        ...(deps.idleTimeoutMs !== undefined ? { idleTimeoutMs: deps.idleTimeoutMs } : {}),
      });
    case "file":
      return new FileSource({
        path: spec.path,
        speed: spec.speed,
        intervalMs: spec.intervalMs,
        clock,
        logger,
        ...(spec.path === "-" && deps.stdin ? { stream: deps.stdin } : {}),
      });
  }
}
