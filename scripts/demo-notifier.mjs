/**
 * The notifier of `make demo`: its own redis-server in the demo's temp folder (loopback, an ephemeral port, no
 * persistence: the demo's statistics end with it) and the notifier on it, with a tariff so the page shows a cost.
 * Without redis-server on this machine the demo runs on without statistics and says so in one line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { findExecutable, waitFor } from "./demo-support.mjs";

/**
 * Starts redis and the notifier through the demo's `start(name, command, args, env, quiet)`; resolves once the
 * notifier is online (so readings published from then on are counted) with the banner text.
 */
export async function startNotifier({ common, work, start, connects, redisPort }) {
  const redis = findExecutable("redis-server");
  if (!redis) {
    const text =
      "not started: redis-server is not installed (apt-get install redis-server), so Today / This month stay empty";
    console.log(`[demo] notifier ${text}`);
    return text;
  }
  const dir = join(work, "redis");
  mkdirSync(dir);
  const args = ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  // Its start-up banner ignores the log level: shown with --verbose only.
  start("redis", redis, [...args, "--dir", dir, "--daemonize", "no", "--loglevel", "warning"], {}, true);
  await waitFor(`redis on port ${redisPort}`, () => connects(redisPort));
  start("notifier", process.execPath, ["services/notifier/dist/main.js"], {
    ...common,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    NOTIFIER_CONFIG: notifierConfig(work),
    SMTP_URL: "",
    XMPP_SERVICE: "",
  });
  const { MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_PROTOCOL_VERSION } = common;
  const auth = MQTT_USERNAME ? { username: MQTT_USERNAME, password: MQTT_PASSWORD ?? "" } : {};
  const base = process.env.MQTT_BASE_TOPIC || "smarty";
  const options = { ...auth, protocolVersion: Number(MQTT_PROTOCOL_VERSION || 4) };
  await waitForRetained(MQTT_URL, options, `${base}/notifier/demo/status`, "online");
  return `statistics and alerts (Redis on 127.0.0.1:${redisPort}, in the demo's temp folder)`;
}

/**
 * Writes `<dir>/notifier.yml`: the defaults plus a tariff with Luxembourg-like prices (2026, per kWh incl. VAT), so
 * the page's Cost is filled. Reports and alerts have no channel in the demo (no SMTP_URL, no XMPP_SERVICE).
 */
export function notifierConfig(dir) {
  const out = join(dir, "notifier.yml");
  const config = {
    tariff: {
      currency: "EUR",
      import_per_kwh: 0.2436,
      export_credit_per_kwh: 0.08,
      monthly_fee: 7.5,
      power_class: { kw: 7, excess_per_kwh: 0.1139, monthly_fee: 0 },
    },
  };
  writeFileSync(out, stringify(config));
  return out;
}

/** Resolves once `topic` holds the retained `value` on the broker at `url` (a service's "online" status). */
export async function waitForRetained(url, options, topic, value, timeoutMs = 60_000) {
  const { default: mqtt } = await import("mqtt");
  const client = await mqtt.connectAsync(url, { ...options, reconnectPeriod: 500 });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${topic} = ${value}`)), timeoutMs);
      client.on("message", (t, payload) => {
        if (t === topic && payload.toString() === value) {
          clearTimeout(timer);
          resolve();
        }
      });
      client.subscribe(topic);
    });
  } finally {
    await client.endAsync();
  }
}
