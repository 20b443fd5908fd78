/**
 * The notifier's environment (validated once at start; every bad variable is listed, exit 78). Shared MQTT
 * variables come from service-kit, the XMPP bot's from xmpp/config.ts; rules, tariff and schedule live in the
 * optional NOTIFIER_CONFIG file (config-file.ts). Email is enabled when SMTP_URL is set.
 */
import {
  ConfigError,
  commonEnv,
  envBool,
  envDuration,
  envList,
  envReadableFile,
  loadConfig,
} from "@smarty/service-kit";
import { z } from "zod";
import { type FileConfig, loadFileConfig } from "./config-file.js";
import type { SmtpSettings, SmtpTls } from "./email/smtp-transport.js";
import { type XmppSettings, xmppEnv, xmppSettings } from "./xmpp/config.js";

const EMAIL = /^[^@\s<>]+@[^@\s<>]+$/;

export const notifierEnv = z.object({
  ...commonEnv,
  ...xmppEnv,
  REDIS_URL: z
    .string()
    .default("redis://127.0.0.1:6379")
    .refine((s) => /^rediss?:\/\/\S+$/.test(s), "must be a URL like redis://127.0.0.1:6379"),
  SMTP_URL: z
    .string()
    .optional()
    .refine(
      (s) => s === undefined || /^smtps?:\/\/[^/\s]+\/?$/.test(s),
      "must be smtp://host:port or smtps://host:port",
    ),
  SMTP_USERNAME: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_TLS: z.enum(["starttls", "implicit", "none"], { message: "must be starttls, implicit or none" }).optional(),
  /** SMTP_TLS=none with a password sends AUTH in clear; only a relay on the same host may need it. */
  SMTP_ALLOW_PLAINTEXT_AUTH: envBool(false),
  EMAIL_FROM: z
    .string()
    .optional()
    .refine((s) => s === undefined || EMAIL.test(s), "must be an address like smarty@example.org"),
  EMAIL_TO: envList().refine((l) => l.every((a) => EMAIL.test(a)), "must be a comma list of email addresses"),
  EMAIL_PGP_KEYS: z.string().optional(),
  EMAIL_ENCRYPTION: z.enum(["pgp", "off"], { message: "must be pgp or off" }).default("pgp"),
  NOTIFIER_CONFIG: z.string().optional(),
  NOTIFIER_SMTP_CA_FILE: envReadableFile(),
  NOTIFIER_PGP_SIGNING_KEY: z.string().optional(),
  NOTIFIER_PGP_SIGNING_PASSPHRASE: z.string().optional(),
  NOTIFIER_REDIS_PREFIX: z.string().default("smarty:notifier:"),
  NOTIFIER_OUTBOX_RETRY_MIN: envDuration("10s"),
  NOTIFIER_OUTBOX_RETRY_MAX: envDuration("10m"),
  NOTIFIER_OUTBOX_MAX_AGE: envDuration("7d"),
  /** How far a reading's meter time may run ahead of the clocks before it is ignored (meter-clock.ts); 0: off. */
  NOTIFIER_CLOCK_TOLERANCE: envDuration("5m"),
  NOTIFIER_STATE_SAVE_INTERVAL: envDuration("15m"),
});
export type NotifierEnv = z.infer<typeof notifierEnv>;

export interface EmailSettings {
  readonly smtp: SmtpSettings;
  readonly from: string;
  readonly to: readonly string[];
  readonly encryption: "pgp" | "off";
  readonly keysPath: string | undefined;
  readonly signingKeyPath: string | undefined;
  readonly signingPassphrase: string | undefined;
}

export interface NotifierConfig {
  readonly env: NotifierEnv;
  readonly file: FileConfig;
  /** Undefined when SMTP_URL is unset (email disabled). */
  readonly email: EmailSettings | undefined;
  /** Undefined when XMPP_SERVICE is unset (bot disabled). */
  readonly xmpp: XmppSettings | undefined;
}

function emailSettings(env: NotifierEnv, problems: string[]): EmailSettings | undefined {
  if (env.SMTP_URL === undefined) return undefined;
  const implicitUrl = env.SMTP_URL.startsWith("smtps:");
  const tls: SmtpTls = env.SMTP_TLS ?? (implicitUrl ? "implicit" : "starttls");
  if (implicitUrl && tls !== "implicit")
    problems.push("SMTP_TLS: smtps:// URLs use implicit TLS; use smtp:// for starttls or none");
  if (!env.EMAIL_FROM) problems.push("EMAIL_FROM: required when SMTP_URL is set");
  if (env.EMAIL_TO.length === 0) problems.push("EMAIL_TO: at least one address is required when SMTP_URL is set");
  if (env.EMAIL_ENCRYPTION === "pgp" && !env.EMAIL_PGP_KEYS) {
    problems.push("EMAIL_PGP_KEYS: required with EMAIL_ENCRYPTION=pgp (each recipient needs a public key)");
  }
  if (env.SMTP_PASSWORD && !env.SMTP_USERNAME) problems.push("SMTP_USERNAME: required when SMTP_PASSWORD is set");
  if (tls === "none" && env.SMTP_PASSWORD && !env.SMTP_ALLOW_PLAINTEXT_AUTH) {
    // AUTH PLAIN/LOGIN is only base64 (RFC 4954 §4): without TLS anyone on the path reads the password.
    problems.push(
      "SMTP_TLS: none would send SMTP_PASSWORD in clear (AUTH without TLS); use starttls or implicit, or set SMTP_ALLOW_PLAINTEXT_AUTH=true for a relay on the same host",
    );
  }
  return {
    smtp: {
      url: env.SMTP_URL,
      tls,
      username: env.SMTP_USERNAME,
      password: env.SMTP_PASSWORD,
      caFile: env.NOTIFIER_SMTP_CA_FILE,
    },
    from: env.EMAIL_FROM ?? "",
    to: [...new Set(env.EMAIL_TO.map((a) => a.toLowerCase()))],
    encryption: env.EMAIL_ENCRYPTION,
    keysPath: env.EMAIL_PGP_KEYS,
    signingKeyPath: env.NOTIFIER_PGP_SIGNING_KEY,
    signingPassphrase: env.NOTIFIER_PGP_SIGNING_PASSPHRASE,
  };
}

/** Loads and checks everything; throws ConfigError listing every problem (env and file). */
export function loadNotifierConfig(source: Readonly<Record<string, string | undefined>> = process.env): NotifierConfig {
  const env = loadConfig(notifierEnv, source);
  const problems: string[] = [];
  const email = emailSettings(env, problems);
  let xmpp: XmppSettings | undefined;
  try {
    xmpp = xmppSettings(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  let file: FileConfig | undefined;
  try {
    file = loadFileConfig(env.NOTIFIER_CONFIG);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !file) throw new ConfigError(problems);
  return { env, file, email, xmpp };
}
