/** A real pino logger whose JSON lines the test can read back. */
import { Writable } from "node:stream";
import { createLogger, type Logger } from "@smarty/service-kit";

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function captureLogs(level = "debug"): { logger: Logger; lines: LogLine[]; raw(): string } {
  const lines: LogLine[] = [];
  let raw = "";
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split("\n")) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: createLogger({ service: "notifier", level, destination }), lines, raw: () => raw };
}
