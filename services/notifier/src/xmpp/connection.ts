/**
 * The bot's XMPP session: connect with TLS required, authenticate only over TLS, keep the session alive with
 * XEP-0199 pings, and reconnect with back-off after any loss. A fresh @xmpp/client per attempt (its own fixed
 * 1 s reconnect is switched off) keeps every attempt's state apart and the timers on the injected clock.
 *
 * `sendAcked` is the delivery primitive of the outbox channel: it writes a stanza, then waits for the answer to a
 * ping on the same stream. A server processes a stream's stanzas in order (RFC 6120 §10.1), so the pong means the
 * message was accepted (delivered or stored offline); a lost connection before that makes it a retry.
 */
import type { Clock, Component, Logger, TimerHandle } from "@smarty/service-kit";
import { type Client, client, xml } from "@xmpp/client";
import type { Element } from "@xmpp/xml";
import { backoffDelay } from "./backoff.js";
import type { XmppSettings } from "./config.js";
import { InsecureStreamError, tlsOnlyCredentials, useDirectTlsOptions } from "./tls-trust.js";

export class NotConnectedError extends Error {
  constructor(message = "XMPP session is not online") {
    super(message);
    this.name = "NotConnectedError";
  }
}

export interface ConnectionOptions {
  readonly settings: XmppSettings;
  readonly log: Logger;
  readonly clock: Clock;
  /** CA (PEM) for direct TLS (xmpps://); STARTTLS trust is process-wide, see tls-trust.ts. */
  readonly caPem?: string | undefined;
  readonly reconnectMinMs?: number;
  readonly connectTimeoutMs?: number;
  readonly pingIntervalMs?: number;
  readonly ackTimeoutMs?: number;
  readonly random?: () => number;
}

interface Session {
  readonly client: Client;
  /** Rejects when the socket closes; used to abort whatever waits on this session. */
  readonly closed: Promise<never>;
  close(reason: Error): void;
}

/** Settles with `p`, or rejects as soon as the session closes; the loser's rejection is swallowed. */
function whileOpen<T>(session: Session, p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return Promise.race([p, session.closed]);
}

async function quietStop(c: Client): Promise<void> {
  try {
    await c.stop();
  } catch {
    // the socket is already gone; nothing left to close
  }
}

/**
 * `Client.start()` of @xmpp/connection 0.14 without its loose end: it waits for "online" with a promise that it
 * abandons when opening the stream fails (its own 2 s timeout, a slow server), and any later "error" event of that
 * client (a reset while it closes) then rejects that promise with no handler. The same steps, the wait handled.
 */
async function startClient(c: Client, service: string, domain: string): Promise<void> {
  let onOnline: () => void = () => undefined;
  let onError: (err: unknown) => void = () => undefined;
  const online = new Promise<void>((resolve, reject) => {
    onOnline = () => resolve();
    onError = (err) => reject(err);
  });
  online.catch(() => undefined);
  c.once("online", onOnline);
  c.once("error", onError);
  try {
    await c.connect(service);
    await c.open({ domain });
    await online;
  } finally {
    c.off("online", onOnline);
    c.off("error", onError);
  }
}

const NS_PING = "urn:xmpp:ping";

export class XmppConnection implements Component {
  readonly name = "xmpp-connection";
  private session: Session | undefined;
  private state: "stopped" | "connecting" | "online" | "waiting" = "stopped";
  private failures = 0;
  private retryTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private lastReason: string | undefined;
  private readonly stanzaHandlers = new Set<(stanza: Element) => void>();
  private readonly onlineHandlers = new Set<() => Promise<void> | void>();
  readonly counters = { connects: 0, failures: 0, losses: 0 };

  constructor(private readonly o: ConnectionOptions) {}

  private get stopped(): boolean {
    return this.state === "stopped";
  }

  get online(): boolean {
    return this.state === "online";
  }

  /** Why the last attempt failed, for `status` answers and tests. */
  get lastError(): string | undefined {
    return this.lastReason;
  }

  onStanza(handler: (stanza: Element) => void): void {
    this.stanzaHandlers.add(handler);
  }

  onOnline(handler: () => Promise<void> | void): void {
    this.onlineHandlers.add(handler);
  }

  /** Starts connecting in the background; an unreachable server is retried, never fatal. */
  start(): void {
    if (this.state !== "stopped") return;
    this.state = "waiting";
    void this.attempt();
  }

  async stop(): Promise<void> {
    this.state = "stopped";
    this.clearTimers();
    const s = this.session;
    this.session = undefined;
    if (!s) return;
    if (s.client.status === "online") {
      await whileOpen(s, s.client.send(xml("presence", { type: "unavailable" }))).catch(() => undefined);
    }
    s.close(new NotConnectedError("stopped"));
    await quietStop(s.client);
  }

  async send(stanza: Element): Promise<void> {
    const s = this.onlineSession();
    await whileOpen(s, s.client.send(stanza));
  }

  /** Sends and waits until the server has processed the stanza (see the module comment). */
  async sendAcked(stanza: Element): Promise<void> {
    const s = this.onlineSession();
    await whileOpen(s, s.client.send(stanza));
    await this.ping(s);
  }

  /** Sends an IQ request and resolves with the result stanza (rejects on an error reply or a lost session). */
  async request(iq: Element): Promise<Element> {
    const s = this.onlineSession();
    return await whileOpen(s, s.client.iqCaller.request(iq, this.o.ackTimeoutMs ?? 10_000));
  }

  private onlineSession(): Session {
    if (this.state !== "online" || !this.session) throw new NotConnectedError();
    return this.session;
  }

  private async ping(s: Session): Promise<void> {
    const iq = xml("iq", { type: "get", to: this.o.settings.domain }, xml("ping", { xmlns: NS_PING }));
    await whileOpen(s, s.client.iqCaller.request(iq, this.o.ackTimeoutMs ?? 10_000));
  }

  private build(): Session {
    const { settings } = this.o;
    const c = client({
      service: settings.service,
      domain: settings.domain,
      resource: settings.resource,
      username: settings.username,
      credentials: tlsOnlyCredentials(settings.username, settings.password),
    });
    c.reconnect.stop();
    useDirectTlsOptions(c, settings.domain, this.o.caPem);
    let close: (reason: Error) => void = () => undefined;
    const closed = new Promise<never>((_, reject) => {
      close = reject;
    });
    closed.catch(() => undefined);
    const session: Session = { client: c, closed, close: (reason) => close(reason) };
    c.on("error", (err: unknown) => {
      this.o.log.debug({ err }, "xmpp client error");
    });
    c.on("disconnect", () => this.lost(session, new NotConnectedError("connection closed")));
    c.on("stanza", (stanza: Element) => {
      if (this.session !== session || this.state !== "online") return;
      for (const h of this.stanzaHandlers) h(stanza);
    });
    return session;
  }

  private async attempt(): Promise<void> {
    this.retryTimer = undefined;
    if (this.state === "stopped") return;
    this.state = "connecting";
    const s = this.build();
    this.session = s;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.o.clock.setTimeout(
        () => reject(new Error("no session within the connect timeout")),
        this.o.connectTimeoutMs ?? 30_000,
      );
    });
    try {
      const { service, domain } = this.o.settings;
      await Promise.race([whileOpen(s, startClient(s.client, service, domain)), timeout]);
    } catch (err) {
      if (timer !== undefined) this.o.clock.clearTimeout(timer);
      if (this.session !== s) return;
      this.session = undefined;
      s.close(err as Error);
      await quietStop(s.client);
      this.failed(err);
      return;
    }
    if (timer !== undefined) this.o.clock.clearTimeout(timer);
    if (this.session !== s || this.stopped) {
      await quietStop(s.client);
      return;
    }
    this.state = "online";
    this.failures = 0;
    this.lastReason = undefined;
    this.counters.connects++;
    this.o.log.info({ jid: this.o.settings.jid, service: this.o.settings.service }, "xmpp online");
    this.pingTimer = this.o.clock.setInterval(() => void this.keepAlive(s), this.o.pingIntervalMs ?? 60_000);
    for (const h of this.onlineHandlers) {
      try {
        await h();
      } catch (err) {
        this.o.log.warn({ err }, "xmpp online handler failed");
      }
    }
  }

  private failed(err: unknown): void {
    this.failures++;
    this.counters.failures++;
    const reason = err instanceof Error ? err.message : String(err);
    const retryMs = this.scheduleRetry();
    // Loud for the first failure and whenever the reason changes; then quiet, the back-off spaces them out.
    if (reason !== this.lastReason) {
      const level = err instanceof InsecureStreamError || /not-authorized|SASL/i.test(reason) ? "error" : "warn";
      this.o.log[level]({ err, attempt: this.failures, retry_in_ms: retryMs }, "xmpp connection failed");
    }
    this.lastReason = reason;
  }

  private lost(s: Session, reason: Error): void {
    s.close(reason);
    if (this.session !== s || this.state !== "online") return;
    this.session = undefined;
    this.counters.losses++;
    this.o.log.warn({ reason: reason.message }, "xmpp connection lost");
    this.scheduleRetry();
  }

  private async keepAlive(s: Session): Promise<void> {
    if (this.session !== s || this.state !== "online") return;
    try {
      await this.ping(s);
    } catch (err) {
      if (this.session !== s) return;
      this.lost(s, new NotConnectedError(`ping failed: ${(err as Error).message}`));
      await quietStop(s.client);
    }
  }

  private scheduleRetry(): number {
    this.clearTimers();
    if (this.state === "stopped") return 0;
    this.state = "waiting";
    const delay = backoffDelay(this.failures, {
      minMs: this.o.reconnectMinMs ?? 1000,
      maxMs: this.o.settings.reconnectMaxMs,
      ...(this.o.random ? { random: this.o.random } : {}),
    });
    this.retryTimer = this.o.clock.setTimeout(() => void this.attempt(), delay);
    return delay;
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) this.o.clock.clearTimeout(this.retryTimer);
    if (this.pingTimer !== undefined) this.o.clock.clearInterval(this.pingTimer);
    this.retryTimer = undefined;
    this.pingTimer = undefined;
  }
}
