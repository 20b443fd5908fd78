/** Captures the pino JSON lines of a logger, to assert on messages and on what never appears (secrets). */
import { Writable } from "node:stream";

/** service-kit's `createLogger`, passed in: the lines carry the real options (redaction), and testkit needs only p1. */
export type LoggerFactory<L> = (options: { service: string; level: string; destination: Writable }) => L;

export interface CapturedLogs<L> {
  readonly logger: L;
  readonly lines: string[];
  records(): Record<string, unknown>[];
  messages(): string[];
  text(): string;
}

export function captureLogs<L>(createLogger: LoggerFactory<L>, service: string, level = "debug"): CapturedLogs<L> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString("utf8").split("\n")) if (l) lines.push(l);
      cb();
    },
  });
  const logger = createLogger({ service, level, destination });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    logger,
    lines,
    records,
    messages: () => records().map((r) => String(r.msg)),
    text: () => lines.join("\n"),
  };
}
