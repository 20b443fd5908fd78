/**
 * `SMARTY_SOURCE`: where the P1 bytes come from.
 *
 * - `serial:///dev/ttyUSB0?baud=115200&bits=8&parity=none&stop=1` — the meter's P1 port through a USB cable; the
 *   Luxmetering P1 spec v1.1.3 §3.1 and DSMR 5.0.2 §4.1 fix 115200 8N1, so those are the defaults.
 * - `tcp://host:port` — a raw byte bridge (ser2net, ESP-Link, Ethernet P1 dongles).
 * - `file:///path/capture.bin` — a capture replayed at the meter's pace (`?interval=10s`, the Lux period) or as fast
 *   as possible (`?speed=max`); `-` reads stdin as it comes.
 */
import { parseDuration } from "@smarty/service-kit";

export type Parity = "none" | "even" | "odd";

export type SourceSpec =
  | {
      readonly kind: "serial";
      readonly path: string;
      readonly baudRate: number;
      readonly dataBits: 7 | 8;
      readonly parity: Parity;
      readonly stopBits: 1 | 2;
    }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | {
      readonly kind: "file";
      /** Path of the capture, or `-` for stdin. */
      readonly path: string;
      /** `max`: as fast as possible; `real`: one frame per `intervalMs`. */
      readonly speed: "max" | "real";
      readonly intervalMs: number;
    };

export class SourceUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceUrlError";
  }
}

/** The P1 period of Luxembourg meters (Luxmetering P1 spec v1.1.3 §3.1: one telegram every 10 s). */
export const DEFAULT_FRAME_INTERVAL_MS = 10_000;

/** Parses `SMARTY_SOURCE`; throws SourceUrlError saying what is wrong. */
export function parseSourceUrl(text: string): SourceSpec {
  const t = text.trim();
  if (t === "-") return { kind: "file", path: "-", speed: "max", intervalMs: DEFAULT_FRAME_INTERVAL_MS };
  let url: URL;
  try {
    url = new URL(t);
  } catch {
    throw new SourceUrlError("must be serial:///dev/…, tcp://host:port, file:///path or - (stdin)");
  }
  const q = url.searchParams;
  switch (url.protocol) {
    case "serial:": {
      const path = decodeURIComponent(url.pathname);
      if (path === "" || path === "/") throw new SourceUrlError("serial source needs a device path");
      return {
        kind: "serial",
        path,
        baudRate: intParam(q, "baud", 115_200, 50, 4_000_000),
        dataBits: choice(q, "bits", [8, 7] as const),
        parity: choice(q, "parity", ["none", "even", "odd"] as const),
        stopBits: choice(q, "stop", [1, 2] as const),
      };
    }
    case "tcp:": {
      const port = Number(url.port);
      if (!url.hostname || !Number.isInteger(port) || port < 1) {
        throw new SourceUrlError("tcp source needs host and port, e.g. tcp://192.168.1.20:2001");
      }
      return { kind: "tcp", host: url.hostname.replace(/^\[|\]$/g, ""), port };
    }
    case "file:": {
      const path = decodeURIComponent(url.pathname);
      if (path === "" || path === "/") throw new SourceUrlError("file source needs a path");
      const speed = q.get("speed") ?? "real";
      if (speed !== "max" && speed !== "real") throw new SourceUrlError("speed must be max or real");
      const interval = q.get("interval");
      const intervalMs = interval === null ? DEFAULT_FRAME_INTERVAL_MS : parseDuration(interval);
      if (intervalMs === undefined || intervalMs <= 0) {
        throw new SourceUrlError("interval must be a duration such as 10s or 500ms");
      }
      return { kind: "file", path, speed, intervalMs };
    }
    default:
      throw new SourceUrlError(`unknown scheme '${url.protocol}', use serial:, tcp: or file:`);
  }
}

/** The source for logs and the health topic: without query credentials (none are defined, but a bridge URL may). */
export function describeSource(spec: SourceSpec): string {
  switch (spec.kind) {
    case "serial":
      return `serial://${spec.path}?baud=${spec.baudRate}`;
    case "tcp":
      return `tcp://${spec.host}:${spec.port}`;
    case "file":
      return spec.path === "-" ? "stdin" : `file://${spec.path}${spec.speed === "max" ? "?speed=max" : ""}`;
  }
}

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const v = q.get(name);
  if (v === null) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new SourceUrlError(`${name} must be a whole number`);
  return n;
}

function choice<T extends string | number>(q: URLSearchParams, name: string, options: readonly T[]): T {
  const v = q.get(name);
  if (v === null) return options[0]!;
  const found = options.find((o) => String(o) === v);
  if (found === undefined) throw new SourceUrlError(`${name} must be one of ${options.join(", ")}`);
  return found;
}
