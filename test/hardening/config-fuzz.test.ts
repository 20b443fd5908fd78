/**
 * Config fuzz: every variable each service reads (the keys of its zod schema in src/config.ts) is set, one at a
 * time, to a value that must be refused; the built service must exit 78 (EX_CONFIG) with "Refusing to start" and a
 * line naming that variable, and never echo a secret's value. Variables that accept any string are listed with the
 * reason and skipped. A variable added to a schema without an entry here fails the coverage test.
 * Needs the build (`npm run build`).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { generateKey } from "openpgp";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, repoPath } from "../stack/helpers/repo.js";
import { loadServiceEnv, SERVICES, type Service } from "../stack/helpers/service-schemas.js";

type Env = Record<string, string>;

interface Garbage {
  readonly value: string;
  /** Other variables that make this one checked (e.g. XMPP_* only matter with XMPP_SERVICE). */
  readonly with?: Env;
  /** The value must not appear in the output (a secret). */
  readonly secret?: boolean;
}

const XMPP: Env = {
  XMPP_SERVICE: "xmpp://127.0.0.1:5222",
  XMPP_DOMAIN: "localhost",
  XMPP_USERNAME: "bot",
  XMPP_PASSWORD: "xmpp-password-0123",
  XMPP_ALLOWED_JIDS: "alice@localhost",
};
const SMTP: Env = {
  SMTP_URL: "smtp://127.0.0.1:2525",
  EMAIL_FROM: "s@example.org",
  EMAIL_TO: "a@example.org",
  EMAIL_PGP_KEYS: "/etc/smarty/keys",
};
/** XMPP with the bot's own key, which XMPP_PGP_KEYS requires; the key is generated in beforeAll. */
const WITH_BOT_KEY: Env = { ...XMPP };
const DURATION = { value: "a fortnight" };
const BOOL = { value: "maybe" };

/** Refused values, shared by every service that reads the variable. */
const GARBAGE: Readonly<Record<string, Garbage>> = {
  MQTT_URL: { value: "http://broker:1883" },
  MQTT_PROTOCOL_VERSION: { value: "3" },
  MQTT_BASE_TOPIC: { value: "smarty/#" },
  MQTT_CA_FILE: { value: "/nonexistent/ca.pem" },
  SMARTY_INSTANCE: { value: "main/../x" },
  LOG_LEVEL: { value: "loud" },
  SMARTY_SOURCE: { value: "ftp://meter" },
  SMARTY_KEY: { value: "secret-not-hex-SMARTYKEYFUZZ", secret: true },
  SMARTY_KEYS: { value: "x=zz-SMARTYKEYSFUZZ", secret: true },
  SMARTY_VERIFY_TAG: BOOL,
  SMARTY_ALLOW_PLAINTEXT: BOOL,
  SMARTY_STATE_REFRESH: DURATION,
  SMARTY_HA_DISCOVERY: BOOL,
  SMARTY_HA_DISCOVERY_PREFIX: { value: "homeassistant/#" },
  INGEST_AUTHENTICATION_KEY: { value: "secret-not-hex-AUTHKEYFUZZ", secret: true },
  INGEST_HTTP_PORT: { value: "70000" },
  INGEST_QUEUE_LIMIT: { value: "-5" },
  INGEST_QUEUE_BYTES: { value: "lots" },
  INGEST_IDLE_TIMEOUT: DURATION,
  INGEST_NO_FRAMES_TIMEOUT: DURATION,
  INGEST_RECONNECT_MIN: DURATION,
  INGEST_RECONNECT_MAX: DURATION,
  INGEST_WRONG_KEY_AFTER: { value: "0" },
  INGEST_HEALTH_INTERVAL: DURATION,
  INGEST_CLOCK_TOLERANCE: DURATION,
  INGEST_SHUTDOWN_TIMEOUT: DURATION,
  EXPORTER_PORT: { value: "http" },
  EXPORTER_HOST: { value: "exporter.example.org" },
  EXPORTER_STALE_AFTER: { value: "10ms" },
  EXPORTER_POWER_CLASS: { value: "-3kW" },
  DISPLAY_PORT: { value: "-1" },
  DISPLAY_HOST: { value: "my host" },
  DISPLAY_STALE_AFTER: { value: "100ms" },
  DISPLAY_ALLOWED_HOSTS: { value: "smarty.local:8080" },
  DISPLAY_MAX_STREAMS_PER_CLIENT: { value: "0" },
  DISPLAY_BASIC_AUTH_USER: { value: "a:b", with: { DISPLAY_BASIC_AUTH_PASSWORD: "long-enough-pw" } },
  DISPLAY_BASIC_AUTH_PASSWORD: { value: "short", with: { DISPLAY_BASIC_AUTH_USER: "viewer" } },
  DISPLAY_POWER_CLASS_KW: { value: "lots" },
  DISPLAY_PRICE_PER_KWH: { value: "-0.3" },
  DISPLAY_CURRENCY: { value: "euro" },
  REDIS_URL: { value: "http://redis:6379" },
  SMTP_URL: { value: "mail.example.org" },
  SMTP_TLS: { value: "sometimes", with: SMTP },
  SMTP_ALLOW_PLAINTEXT_AUTH: BOOL,
  EMAIL_FROM: { value: "nobody", with: SMTP },
  EMAIL_TO: { value: "a@example.org,not-an-address", with: SMTP },
  EMAIL_ENCRYPTION: { value: "rot13", with: SMTP },
  NOTIFIER_CONFIG: { value: "/nonexistent/notifier.yml" },
  NOTIFIER_SMTP_CA_FILE: { value: "/nonexistent/ca.pem", with: { ...SMTP, EMAIL_ENCRYPTION: "off" } },
  NOTIFIER_PGP_SIGNING_KEY: { value: "/nonexistent/signing.asc", with: { ...SMTP, EMAIL_ENCRYPTION: "off" } },
  NOTIFIER_OUTBOX_RETRY_MIN: DURATION,
  NOTIFIER_OUTBOX_RETRY_MAX: DURATION,
  NOTIFIER_OUTBOX_MAX_AGE: DURATION,
  NOTIFIER_CLOCK_TOLERANCE: DURATION,
  NOTIFIER_STATE_SAVE_INTERVAL: DURATION,
  XMPP_SERVICE: { value: "jabber.example.org" },
  XMPP_DOMAIN: { value: "not a domain", with: XMPP },
  XMPP_USERNAME: { value: "bot@localhost", with: XMPP },
  XMPP_RESOURCE: { value: "a/b" },
  XMPP_ALLOWED_JIDS: { value: "not a jid" },
  XMPP_PGP_KEYS: { value: "/nonexistent/keys", with: WITH_BOT_KEY },
  XMPP_PGP_PRIVATE_KEY: { value: "not-armored-PRIVATEKEYFUZZ", with: XMPP, secret: true },
  XMPP_CA_FILE: { value: "/nonexistent/ca.pem", with: XMPP },
  XMPP_ALERT_MIN_SEVERITY: { value: "panic" },
  XMPP_ALERT_CLEARED: BOOL,
  XMPP_RECONNECT_MAX: DURATION,
  XMPP_PRESENCE_INTERVAL: DURATION,
  XMPP_PRESENCE_STATUS: { value: "loud" },
  XMPP_ALLOW_PLAINTEXT_FROM_KEYED: BOOL,
};

/** Variables with no value to refuse, and why. */
const ANY_STRING: Readonly<Record<string, string>> = {
  MQTT_USERNAME: "any broker user name; the broker decides",
  MQTT_PASSWORD: "any password; the broker decides",
  SMTP_USERNAME: "any mail account name; the server decides",
  SMTP_PASSWORD: "any password; the server decides",
  XMPP_PASSWORD: "any password; the server decides",
  XMPP_PGP_PASSPHRASE: "any passphrase; checked against the key it unlocks",
  NOTIFIER_PGP_SIGNING_PASSPHRASE: "any passphrase; checked against the key it unlocks",
  NOTIFIER_REDIS_PREFIX: "any key prefix is a valid redis key prefix",
  EMAIL_PGP_KEYS:
    "a path read at each send: an unreadable key folder refuses the mail and raises an alert (docs/notifier.md)",
};

/** A configuration each service accepts, so that the only problem is the variable under test. */
const BASELINE: Readonly<Record<Service, Env>> = {
  ingest: { SMARTY_SOURCE: "tcp://127.0.0.1:1", SMARTY_KEY: "0123456789ABCDEF0123456789ABCDEF" },
  exporter: {},
  display: {},
  notifier: {},
};

const CONFIG_LOADERS: Readonly<Record<Service, [string, string]>> = {
  ingest: ["services/ingest/src/config.ts", "loadIngestConfig"],
  exporter: ["services/exporter/src/config.ts", "loadExporterConfig"],
  display: ["services/display/src/config.ts", "loadDisplayConfig"],
  notifier: ["services/notifier/src/config.ts", "loadNotifierConfig"],
};

interface Exit {
  readonly code: number | null;
  readonly output: string;
}

function runService(service: Service, env: Env): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [repoPath("services", service, "dist", "main.js")],
      // The broker and redis point at a closed port: a service that wrongly starts fails to connect, not hangs.
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", MQTT_URL: "mqtt://127.0.0.1:1", ...env },
        timeout: 15_000,
        killSignal: "SIGKILL",
      },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number | string }).code ?? null) : 0;
        resolve({ code: typeof code === "number" ? code : null, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Runs `fn` over `items` with at most `limit` at once (two cores are shared). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return out;
}

interface Case {
  readonly service: Service;
  readonly variable: string;
  readonly garbage: Garbage;
}

const schemaKeys = new Map<Service, string[]>();
const results = new Map<string, Exit>();

beforeAll(async () => {
  const key = await generateKey({ userIDs: [{ email: "bot@localhost" }], format: "armored" });
  WITH_BOT_KEY.XMPP_PGP_PRIVATE_KEY = key.privateKey;
  for (const service of SERVICES) {
    expect(existsSync(repoPath("services", service, "dist", "main.js")), "run `npm run build` first").toBe(true);
    schemaKeys.set(service, [...(await loadServiceEnv(service)).fields.keys()]);
  }
  const cases: Case[] = [];
  for (const service of SERVICES) {
    for (const variable of schemaKeys.get(service) ?? []) {
      const garbage = GARBAGE[variable];
      if (garbage) cases.push({ service, variable, garbage });
    }
  }
  const exits = await pool(cases, 4, (c) =>
    runService(c.service, { ...BASELINE[c.service], ...c.garbage.with, [c.variable]: c.garbage.value }),
  );
  for (const [i, c] of cases.entries()) results.set(`${c.service} ${c.variable}`, exits[i] as Exit);
}, 90_000);

describe("config fuzz", () => {
  it("has a refused value or a stated reason for every variable of every service", () => {
    for (const service of SERVICES) {
      const missing = (schemaKeys.get(service) ?? []).filter((v) => !(v in GARBAGE) && !(v in ANY_STRING));
      expect(missing, `${service}: add these to GARBAGE or ANY_STRING`).toEqual([]);
    }
  });

  it.each(SERVICES)("%s accepts its baseline configuration", async (service) => {
    const [file, name] = CONFIG_LOADERS[service];
    const mod = (await import(repoPath(file))) as Record<string, (env: Env) => unknown>;
    expect(() => mod[name]?.({ ...BASELINE[service] })).not.toThrow();
  });

  it.each(SERVICES)("%s exits 78 naming each variable set to garbage", (service) => {
    const failures: string[] = [];
    let checked = 0;
    for (const variable of schemaKeys.get(service) ?? []) {
      const garbage = GARBAGE[variable];
      if (!garbage) continue;
      checked++;
      const exit = results.get(`${service} ${variable}`) as Exit;
      // Every problem line names this variable: the refusal is caused by it, not by its context.
      const named = [...exit.output.matchAll(/^ {2}([A-Z][A-Z0-9_]*): /gm)].map((m) => m[1]);
      const onlyThis = named.length > 0 && named.every((n) => n === variable || n === `${variable}_FILE`);
      const refusing = exit.output.includes("Refusing to start: invalid configuration");
      if (exit.code !== 78 || !onlyThis || !refusing) {
        failures.push(`${variable}=${garbage.value}: exit ${exit.code}\n${exit.output.slice(0, 600)}`);
      }
      if (garbage.secret && exit.output.includes(garbage.value)) failures.push(`${variable}: value echoed`);
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(5);
  });

  it("lists the skipped variables with their reason", () => {
    const read = new Set(SERVICES.flatMap((s) => schemaKeys.get(s) ?? []));
    for (const [variable, reason] of Object.entries(ANY_STRING)) {
      expect(read.has(variable), `${variable} is no longer read; drop it`).toBe(true);
      expect(reason.length).toBeGreaterThan(10);
    }
  });
});
