/**
 * Environment of the XMPP bot, as a zod shape the notifier's config spreads in (keys are variable names;
 * `<NAME>_FILE` works for each, so `XMPP_PASSWORD_FILE` and `XMPP_PGP_PRIVATE_KEY_FILE` come for free).
 * The bot is enabled when XMPP_SERVICE is set; `xmppSettings` then checks the variables that become required.
 */
import type { Severity } from "@smarty/contracts";
import { ConfigError, envBool, envDuration, envList } from "@smarty/service-kit";
import { z } from "zod";

/** A bare JID `local@domain` (RFC 7622 §3), compared lower-cased. */
const BARE_JID = /^[^@/\s"&'<>:]+@[^@/\s]+$/;
const SERVICE = /^(xmpps?):\/\/([^/:\s]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;
const SEVERITIES = ["info", "warning", "critical"] as const;
const PRESENCE_STATUSES = ["off", "coarse", "live"] as const;
export type PresenceStatusMode = (typeof PRESENCE_STATUSES)[number];

export const xmppEnv = {
  XMPP_SERVICE: z
    .string()
    .optional()
    .refine(
      (s) => s === undefined || SERVICE.test(s),
      "must be xmpp://host:5222 (STARTTLS) or xmpps://host:5223 (direct TLS)",
    ),
  /** The domain part of the bot's JID (RFC 7622 §3.2): no spaces, @, / or quotes. */
  XMPP_DOMAIN: z
    .string()
    .optional()
    .refine((s) => s === undefined || /^[^@/\s"&'<>:]{1,253}$/.test(s), "must be a domain like example.org"),
  XMPP_USERNAME: z.string().optional(),
  XMPP_PASSWORD: z.string().optional(),
  XMPP_RESOURCE: z
    .string()
    .default("smarty")
    .refine((s) => /^[^\s/]{1,64}$/.test(s), "must be 1-64 characters without spaces or /"),
  XMPP_ALLOWED_JIDS: envList().refine(
    (list) => list.every((j) => BARE_JID.test(j)),
    "must be a comma list of bare JIDs like alice@example.org",
  ),
  /** Contact public keys: one armored/binary key file or a folder of them; matched by user id `xmpp:<jid>`. */
  XMPP_PGP_KEYS: z.string().optional(),
  /** The bot's own secret key (armored text; usually given as XMPP_PGP_PRIVATE_KEY_FILE). */
  XMPP_PGP_PRIVATE_KEY: z.string().optional(),
  XMPP_PGP_PASSPHRASE: z.string().optional(),
  /** A CA certificate (PEM) for a self-signed or private server certificate; see docs/xmpp.md. */
  XMPP_CA_FILE: z.string().optional(),
  XMPP_ALERT_MIN_SEVERITY: z.enum(SEVERITIES, { message: `must be one of ${SEVERITIES.join(", ")}` }).default("info"),
  XMPP_ALERT_CLEARED: envBool(true),
  XMPP_RECONNECT_MAX: envDuration("5m"),
  /** How often the presence status ("3.2 kW import") may change; 0 sets it only at login. */
  XMPP_PRESENCE_INTERVAL: envDuration("2m"),
  /**
   * What the presence status tells every subscribed device, in clear through the server: nothing, the meter's state
   * ("meter online"), or the live power. Default: off when OpenPGP is configured, coarse otherwise.
   */
  XMPP_PRESENCE_STATUS: z
    .enum(PRESENCE_STATUSES, { message: `must be one of ${PRESENCE_STATUSES.join(", ")}` })
    .optional(),
  /** Accept plaintext commands from a contact with an OpenPGP key (a server that forges `from` could send them). */
  XMPP_ALLOW_PLAINTEXT_FROM_KEYED: envBool(false),
} as const;

export type XmppEnv = z.infer<z.ZodObject<typeof xmppEnv>>;

/** The checked settings of an enabled bot. */
export interface XmppSettings {
  readonly service: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly resource: string;
  /** Bare JID of the bot, lower-cased. */
  readonly jid: string;
  /** Lower-cased bare JIDs allowed to talk to the bot and to receive alerts. */
  readonly allowedJids: readonly string[];
  readonly pgpKeysPath: string | undefined;
  readonly pgpPrivateKey: string | undefined;
  readonly pgpPassphrase: string | undefined;
  readonly caFile: string | undefined;
  readonly alertMinSeverity: Severity;
  readonly alertCleared: boolean;
  readonly reconnectMaxMs: number;
  readonly presenceIntervalMs: number;
  readonly presenceStatus: PresenceStatusMode;
  readonly allowPlaintextFromKeyed: boolean;
}

/**
 * Settings of the bot, or undefined when XMPP_SERVICE is unset (bot disabled).
 * @throws ConfigError naming every variable that is missing or inconsistent.
 */
export function xmppSettings(env: XmppEnv): XmppSettings | undefined {
  if (env.XMPP_SERVICE === undefined) return undefined;
  const problems: string[] = [];
  const host = SERVICE.exec(env.XMPP_SERVICE)?.[2] ?? "";
  const hostIsAddress = /^[\d.]+$/.test(host) || host.startsWith("[");
  const domain = (env.XMPP_DOMAIN ?? (hostIsAddress ? "" : host)).toLowerCase();
  if (domain === "") problems.push("XMPP_DOMAIN: required when XMPP_SERVICE names an IP address");
  const username = env.XMPP_USERNAME ?? "";
  if (username === "") problems.push("XMPP_USERNAME: required when XMPP_SERVICE is set");
  else if (username.includes("@")) problems.push("XMPP_USERNAME: give the local part only; the domain is XMPP_DOMAIN");
  if (!env.XMPP_PASSWORD) problems.push("XMPP_PASSWORD: required when XMPP_SERVICE is set");
  if (env.XMPP_ALLOWED_JIDS.length === 0) {
    problems.push("XMPP_ALLOWED_JIDS: at least one JID is required when XMPP_SERVICE is set");
  }
  if (env.XMPP_PGP_KEYS && !env.XMPP_PGP_PRIVATE_KEY) {
    problems.push(
      "XMPP_PGP_PRIVATE_KEY: required with XMPP_PGP_KEYS (XEP-0374 messages are signed by the bot's own key)",
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    service: env.XMPP_SERVICE,
    domain,
    username,
    password: env.XMPP_PASSWORD ?? "",
    resource: env.XMPP_RESOURCE,
    jid: `${username}@${domain}`.toLowerCase(),
    allowedJids: [...new Set(env.XMPP_ALLOWED_JIDS.map((j) => j.toLowerCase()))],
    pgpKeysPath: env.XMPP_PGP_KEYS,
    pgpPrivateKey: env.XMPP_PGP_PRIVATE_KEY,
    pgpPassphrase: env.XMPP_PGP_PASSPHRASE,
    caFile: env.XMPP_CA_FILE,
    alertMinSeverity: env.XMPP_ALERT_MIN_SEVERITY,
    alertCleared: env.XMPP_ALERT_CLEARED,
    reconnectMaxMs: env.XMPP_RECONNECT_MAX,
    presenceIntervalMs: env.XMPP_PRESENCE_INTERVAL,
    // Live power every two minutes shows when the household is home, asleep or away: with end-to-end encryption
    // configured, it must not leak in clear through presence.
    presenceStatus: env.XMPP_PRESENCE_STATUS ?? (env.XMPP_PGP_KEYS || env.XMPP_PGP_PRIVATE_KEY ? "off" : "coarse"),
    allowPlaintextFromKeyed: env.XMPP_ALLOW_PLAINTEXT_FROM_KEYED,
  };
}

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/**
 * Who gets an alert by XMPP: every allowed JID when the severity reaches XMPP_ALERT_MIN_SEVERITY (and, for a
 * cleared alert, when XMPP_ALERT_CLEARED is on). The core enqueues one outbox message per returned JID.
 */
export function xmppAlertRecipients(
  settings: Pick<XmppSettings, "allowedJids" | "alertMinSeverity" | "alertCleared">,
  alert: { readonly severity: Severity; readonly state: "active" | "cleared" },
): readonly string[] {
  if (RANK[alert.severity] < RANK[settings.alertMinSeverity]) return [];
  if (alert.state === "cleared" && !settings.alertCleared) return [];
  return settings.allowedJids;
}

/** Lower-cased bare JID of a full or bare JID string. */
export function bareJid(jid: string): string {
  const slash = jid.indexOf("/");
  return (slash < 0 ? jid : jid.slice(0, slash)).toLowerCase();
}
