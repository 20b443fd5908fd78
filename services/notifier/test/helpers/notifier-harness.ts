/**
 * A whole notifier on real daemons: mosquitto, redis-server, an in-process SMTP sink and a GnuPG keyring for
 * alice@example.org (bob@example.org has no key). Time is a ManualClock; tests publish readings over MQTT.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ManualClock, silentLogger, startAll, stopAll } from "@smarty/service-kit";
import {
  type Gpg,
  type Mosquitto,
  type RedisServer,
  type SmtpSink,
  startGpg,
  startMosquitto,
  startRedis,
  startSmtpSink,
  tempDir,
} from "@smarty/testkit";
import { loadNotifierConfig } from "../../src/config.js";
import { createNotifier, type Notifier } from "../../src/notifier.js";

export interface Daemons {
  readonly mosquitto: Mosquitto;
  readonly redis: RedisServer;
  readonly smtp: SmtpSink;
  readonly gpg: Gpg;
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startDaemons(): Promise<Daemons> {
  const [mosquitto, redis, smtp] = await Promise.all([
    startMosquitto(),
    startRedis(),
    startSmtpSink({ auth: { username: "smarty", password: "s3cret" } }),
  ]);
  const gpg = startGpg();
  await gpg.generateKey("Alice <alice@example.org>");
  const dir = tempDir("notifier");
  mkdirSync(join(dir.path, "keys"));
  writeFileSync(join(dir.path, "keys", "alice.asc"), await gpg.exportPublic("alice@example.org"));
  return {
    mosquitto,
    redis,
    smtp,
    gpg,
    dir: dir.path,
    async stop() {
      await smtp.stop();
      await Promise.all([mosquitto.stop(), redis.stop(), gpg.stop()]);
      dir.remove();
    },
  };
}

export const BASE = "t";

/** Environment of a notifier on these daemons; `prefix` separates the Redis state of independent tests. */
export function notifierEnv(d: Daemons, yaml: string, prefix = `n${randomUUID()}:`): Record<string, string> {
  const file = join(d.dir, `${prefix.replace(/:/g, "")}.yaml`);
  writeFileSync(file, yaml);
  return {
    MQTT_URL: d.mosquitto.url,
    MQTT_BASE_TOPIC: BASE,
    REDIS_URL: d.redis.url,
    NOTIFIER_REDIS_PREFIX: prefix,
    SMTP_URL: `smtp://127.0.0.1:${d.smtp.port}`,
    SMTP_TLS: "none",
    SMTP_ALLOW_PLAINTEXT_AUTH: "true",
    SMTP_USERNAME: "smarty",
    SMTP_PASSWORD: "s3cret",
    EMAIL_FROM: "smarty@example.org",
    EMAIL_TO: "alice@example.org,bob@example.org",
    EMAIL_PGP_KEYS: join(d.dir, "keys"),
    NOTIFIER_CONFIG: file,
    NOTIFIER_OUTBOX_RETRY_MIN: "10s",
    LOG_LEVEL: "silent",
  };
}

export interface Running {
  readonly notifier: Notifier;
  readonly clock: ManualClock;
  stop(): Promise<void>;
}

/** Builds and starts a notifier with a ManualClock at `start`. */
export async function runNotifier(env: Record<string, string>, start: number): Promise<Running> {
  const clock = new ManualClock(start);
  const notifier = await createNotifier(loadNotifierConfig(env), {
    logger: silentLogger(),
    clock,
    mqttClientId: `notifier-test-${randomUUID()}`,
  });
  await startAll(notifier.components, silentLogger());
  await notifier.mqtt.waitConnected();
  await notifier.core.whenSubscribed();
  return {
    notifier,
    clock,
    stop: () => stopAll(notifier.components, silentLogger()),
  };
}
