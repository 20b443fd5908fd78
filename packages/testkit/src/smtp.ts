/**
 * An in-process SMTP sink (smtp-server) on loopback that keeps every accepted message raw. It can be stopped and
 * started again on the same port to simulate an outage of the mail server. Plain SMTP with AUTH allowed over the
 * unencrypted loopback connection, or STARTTLS / implicit TLS with a given certificate.
 */
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import { freePort } from "./process.js";

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: Buffer;
  readonly user?: string | undefined;
}

export interface SmtpSinkOptions {
  /** Required credentials; without them any client is accepted without AUTH. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** PEM certificate and key: offers STARTTLS (or implicit TLS with `secure`). */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer; readonly secure?: boolean };
}

export interface SmtpSink {
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** Connections refused by bad credentials. */
  readonly authFailures: number;
  readonly running: boolean;
  /** Closes the listener; clients get "connection refused" until `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  let authFailures = 0;
  let server: SMTPServer | undefined;

  const make = (): SMTPServer => {
    const opts: SMTPServerOptions = {
      logger: false,
      authOptional: !options.auth,
      disabledCommands: options.tls ? [] : ["STARTTLS"],
      allowInsecureAuth: !options.tls,
      onAuth(auth, _session, cb) {
        const a = options.auth;
        if (a && auth.username === a.username && auth.password === a.password) return cb(null, { user: a.username });
        authFailures++;
        return cb(new Error("Invalid username or password"));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          const to = session.envelope.rcptTo.map((r) => r.address);
          messages.push({ from, to, raw: Buffer.concat(chunks), user: session.user as string | undefined });
          cb();
        });
      },
    };
    if (options.tls)
      Object.assign(opts, { key: options.tls.key, cert: options.tls.cert, secure: !!options.tls.secure });
    return new SMTPServer(opts);
  };

  const sink: SmtpSink = {
    port,
    messages,
    get authFailures() {
      return authFailures;
    },
    get running() {
      return server !== undefined;
    },
    async start() {
      if (server) return;
      const s = make();
      await new Promise<void>((resolve, reject) => {
        s.once("error", reject);
        s.listen(port, "127.0.0.1", () => resolve());
      });
      server = s;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await sink.start();
  return sink;
}
