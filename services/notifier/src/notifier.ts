/**
 * Builds the notifier from its configuration: Redis, MQTT, statistics, alerts, outbox with its channels (email,
 * XMPP), reports and, when configured, the XMPP bot. `main.ts` runs the components; tests build the same thing
 * with a ManualClock and real daemons.
 */
import {
  BurstLogger,
  type Clock,
  type Component,
  ConfigError,
  type Logger,
  MqttConnection,
  mqttSettings,
  systemClock,
} from "@smarty/service-kit";
import type { PrivateKey } from "openpgp";
import { AlertDispatcher, type ChannelTarget } from "./alerts/alert-dispatch.js";
import { AlertEngine } from "./alerts/alert-engine.js";
import { AlertService } from "./alerts/alert-service.js";
import { AlertStore } from "./alerts/alert-store.js";
import type { NotifierConfig } from "./config.js";
import { EmailChannel } from "./email/email-channel.js";
import { loadSigningKey, RecipientKeyError } from "./email/pgp-keys.js";
import { createSmtpTransport } from "./email/smtp-transport.js";
import { NotifierCore } from "./notifier-core.js";
import { OutboxWorker } from "./outbox/outbox-worker.js";
import { RedisOutbox } from "./outbox/redis-outbox.js";
import type { DeliveryChannel } from "./ports.js";
import { RedisComponent } from "./redis-client.js";
import { ReportScheduler } from "./reports/report-scheduler.js";
import { ReportService } from "./reports/report-service.js";
import { MeterClockGuard } from "./statistics/meter-clock.js";
import { StatisticsEngine } from "./statistics/statistics-engine.js";
import { StatisticsStore } from "./statistics/statistics-store.js";
import { createXmpp, type Xmpp, xmppAlertRecipients } from "./xmpp/index.js";

export interface NotifierDeps {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Date for OpenPGP key validity; real time by default (keys expire in real time). */
  readonly keyDate?: () => Date;
  readonly outboxPollMs?: number;
  readonly alertTickMs?: number;
  readonly mqttClientId?: string;
  /** Monotonic milliseconds for the meter-time check; performance.now() by default. */
  readonly monotonic?: () => number;
}

export interface Notifier {
  readonly components: readonly Component[];
  readonly core: NotifierCore;
  readonly stats: StatisticsEngine;
  readonly alerts: AlertService;
  readonly outbox: RedisOutbox;
  readonly worker: OutboxWorker;
  readonly reports: ReportService;
  readonly scheduler: ReportScheduler;
  readonly mqtt: MqttConnection;
  readonly email: EmailChannel | undefined;
  readonly xmpp: Xmpp | undefined;
}

export async function createNotifier(config: NotifierConfig, deps: NotifierDeps): Promise<Notifier> {
  const { env, file } = config;
  const clock = deps.clock ?? systemClock;
  const log = deps.logger;
  const burst = new BurstLogger(log, clock);
  const prefix = env.NOTIFIER_REDIS_PREFIX;
  const redis = new RedisComponent(env.REDIS_URL, log.child({ component: "redis" }));
  const mqtt = new MqttConnection({
    settings: mqttSettings(env),
    service: "notifier",
    instance: env.SMARTY_INSTANCE,
    logger: log,
    ...(deps.mqttClientId ? { clientId: deps.mqttClientId } : {}),
  });
  const stats = new StatisticsEngine(new StatisticsStore(redis.client, prefix), {
    tariff: file.tariff,
    maxGapMs: file.statistics.max_gap,
    saveIntervalMs: env.NOTIFIER_STATE_SAVE_INTERVAL,
    minPhaseVoltageV: file.statistics.min_phase_voltage_v,
    meterClock: new MeterClockGuard({
      toleranceMs: env.NOTIFIER_CLOCK_TOLERANCE,
      wallNow: () => clock.now(),
      monotonicNow: deps.monotonic ?? (() => performance.now()),
    }),
  });
  const outbox = new RedisOutbox(redis.client, prefix, () => clock.now());
  const reports = new ReportService({
    stats,
    outbox,
    recipients: config.email?.to ?? [],
    clock,
    log: log.child({ component: "reports" }),
  });

  const targets: ChannelTarget[] = [];
  const channels: DeliveryChannel[] = [];
  let email: EmailChannel | undefined;
  if (config.email) {
    const e = config.email;
    let signingKey: PrivateKey | undefined;
    try {
      signingKey = e.signingKeyPath ? await loadSigningKey(e.signingKeyPath, e.signingPassphrase) : undefined;
    } catch (err) {
      throw new ConfigError([`NOTIFIER_PGP_SIGNING_KEY: ${(err as Error).message}`]);
    }
    email = new EmailChannel({
      transport: createSmtpTransport(e.smtp),
      from: e.from,
      encryption: e.encryption,
      keysPath: e.keysPath,
      signingKey,
      log: log.child({ component: "email" }),
      ...(deps.keyDate ? { now: deps.keyDate } : {}),
    });
    channels.push(email);
    targets.push({ channel: "email", recipients: () => e.to });
  }

  const alertStore = new AlertStore(redis.client, prefix);
  const dispatcher = new AlertDispatcher({
    outbox,
    targets,
    severityChannels: file.alerts.channels,
    log: log.child({ component: "dispatch" }),
  });
  const alerts = new AlertService({
    engine: new AlertEngine({
      store: alertStore,
      rules: file.alerts.rules,
      clock,
      log: log.child({ component: "alerts" }),
      publish: async (a) => {
        await mqtt.send("alert", { meterId: a.meter_id, alertId: a.id }, a);
      },
      notify: async (a) => void (await dispatcher.notify(a)),
    }),
    store: alertStore,
    config: file,
    clock,
    log: log.child({ component: "alerts" }),
    knownMeters: () => stats.meters(),
    ...(deps.alertTickMs ? { tickMs: deps.alertTickMs } : {}),
  });
  const core = new NotifierCore({
    mqtt,
    stats,
    alerts,
    reports,
    clock,
    log: log.child({ component: "core" }),
    burst,
    publishIntervalMs: file.statistics.publish_interval,
  });

  let xmpp: Xmpp | undefined;
  if (config.xmpp) {
    const settings = config.xmpp;
    xmpp = await createXmpp({ settings, backend: core, logger: log, clock });
    channels.push(xmpp.channel);
    targets.push({ channel: "xmpp", recipients: (a) => xmppAlertRecipients(settings, a) });
  }

  const worker = new OutboxWorker({
    outbox,
    channels,
    clock,
    log: log.child({ component: "outbox" }),
    burst,
    retryMinMs: env.NOTIFIER_OUTBOX_RETRY_MIN,
    retryMaxMs: env.NOTIFIER_OUTBOX_RETRY_MAX,
    maxAgeMs: env.NOTIFIER_OUTBOX_MAX_AGE,
    ...(deps.outboxPollMs ? { pollMs: deps.outboxPollMs } : {}),
    onDelivered: (m) => (m.channel === "email" ? alerts.mailDelivery(m.to, undefined) : undefined),
    onFailed: (m, err) =>
      m.channel === "email" && err instanceof RecipientKeyError ? alerts.mailDelivery(m.to, err.message) : undefined,
  });
  const scheduler = new ReportScheduler({
    reports,
    schedule: file.reports,
    clock,
    log: log.child({ component: "reports" }),
  });

  const emailCheck: Component = {
    name: "email-check",
    async start() {
      if (!email || !config.email) return;
      if (config.email.encryption === "off") log.warn("EMAIL_ENCRYPTION=off: reports and alerts are mailed in clear");
      for (const p of await email.checkRecipients(config.email.to)) {
        log.error(
          { recipient: p.recipient, reason: p.reason },
          "recipient has no usable OpenPGP key; mail to it is not sent",
        );
        await alerts.mailDelivery(p.recipient, p.message);
      }
    },
    stop: () => email?.close(),
  };

  // Stopped after the broker connection (no more readings) and before Redis: the running state is saved once more.
  const statistics: Component = {
    name: "statistics",
    start: () => undefined,
    stop: () => stats.flush(),
    unflushed: () => ({ statistics_meters: stats.unsavedMeters }),
  };
  const components: Component[] = [
    redis,
    statistics,
    mqtt,
    alerts,
    core,
    emailCheck,
    worker,
    scheduler,
    ...(xmpp?.components ?? []),
    redis.guard,
  ];
  return { components, core, stats, alerts, outbox, worker, reports, scheduler, mqtt, email, xmpp };
}
