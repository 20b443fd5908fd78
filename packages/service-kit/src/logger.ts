/**
 * pino JSON logs to stdout. One root logger per service, `child({component})` per module. Secrets are redacted
 * by path and by the `secret` helper; messages are constant strings with fields, never interpolated sentences.
 */
import { type Logger, pino } from "pino";

export type { Logger } from "pino";

/** Field names whose values never reach a log line, at any depth up to three levels. */
export const REDACTED_KEYS = [
  "key",
  "smarty_key",
  "SMARTY_KEY",
  "password",
  "MQTT_PASSWORD",
  "SMTP_PASSWORD",
  "XMPP_PASSWORD",
  "authenticationKey",
  "aad",
  "privateKey",
  "private_key",
  "passphrase",
  "authorization",
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const k of REDACTED_KEYS) paths.push(k, `*.${k}`, `*.*.${k}`);
  return paths;
}

export interface LoggerOptions {
  readonly service: string;
  readonly level?: string;
  /** Destination stream (tests capture logs here); stdout by default. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.service,
      level: options.level ?? "info",
      base: { service: options.service },
      redact: { paths: redactPaths(), censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}

/** A logger that discards everything, for tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
