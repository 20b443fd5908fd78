/** Captures the pino JSON lines of a logger, to assert on messages and on what never appears (secrets). */
import { Writable } from "node:stream";
import { createLogger, type Logger } from "@smarty/service-kit";

export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: string[];
  records(): Record<string, unknown>[];
  messages(): string[];
  text(): string;
}

export function captureLogs(level = "debug"): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString("utf8").split("\n")) if (l) lines.push(l);
      cb();
    },
  });
  const logger = createLogger({ service: "ingest", level, destination });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    logger,
    lines,
    records,
    messages: () => records().map((r) => String(r.msg)),
    text: () => lines.join("\n"),
  };
}
