/**
 * The SMTP transport (nodemailer) from `SMTP_URL` and `SMTP_TLS`:
 *   starttls  (default for smtp://) the server must offer STARTTLS (RFC 3207); mail is never sent in clear
 *   implicit  (default for smtps://) TLS from the first byte (RFC 8314)
 *   none      plain SMTP, only for a relay on the same host
 * Certificates are always verified (against the system CAs, or NOTIFIER_SMTP_CA_FILE for a private CA).
 */
import { readFileSync } from "node:fs";
import nodemailer, { type Transporter } from "nodemailer";
import { TemporaryDeliveryError } from "../ports.js";

export type SmtpTls = "starttls" | "implicit" | "none";

export interface SmtpSettings {
  readonly url: string;
  readonly tls: SmtpTls;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly caFile?: string | undefined;
}

export function createSmtpTransport(s: SmtpSettings): Transporter {
  const u = new URL(s.url);
  const port = Number(u.port) || (s.tls === "implicit" ? 465 : 587);
  return nodemailer.createTransport({
    host: u.hostname,
    port,
    secure: s.tls === "implicit",
    requireTLS: s.tls === "starttls",
    ignoreTLS: s.tls === "none",
    ...(s.username ? { auth: { user: s.username, pass: s.password ?? "" } } : {}),
    tls: {
      rejectUnauthorized: true,
      servername: u.hostname,
      minVersion: "TLSv1.2",
      ...(s.caFile ? { ca: readFileSync(s.caFile) } : {}),
    },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/** An SMTP failure as the outbox sees it: 5xx replies are permanent, everything else (down, 4xx, TLS, auth) is retried. */
export function classifySmtpError(err: unknown): Error {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const message = `SMTP ${e.code ?? "error"}${e.responseCode ? ` ${e.responseCode}` : ""}: ${e.message ?? String(err)}`;
  if (typeof e.responseCode === "number" && e.responseCode >= 500 && e.code !== "EAUTH") {
    return new Error(message, { cause: err });
  }
  return new TemporaryDeliveryError(message, { cause: err });
}
