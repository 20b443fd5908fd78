/**
 * Container healthchecks (the images' HEALTHCHECK runs `node /app/healthcheck.js`, which links to a service's
 * dist/healthcheck.js). Each check exits 0 when healthy and 1 otherwise, within its own time bound, and loads as
 * little as possible: it runs every 30 s inside the service's memory limit.
 */
import { readFileSync } from "node:fs";
import mqtt from "mqtt";

type Env = Readonly<Record<string, string | undefined>>;

/** Healthy when `GET http://127.0.0.1:<port>/healthz` answers 2xx. */
export async function checkHttpHealth(port: number, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

/** The service's port from its variable, or the default the service itself uses. */
export function portFromEnv(env: Env, variable: string, fallback: number): number {
  const value = Number(env[variable] || fallback);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : fallback;
}

/** The MQTT password from MQTT_PASSWORD or the file MQTT_PASSWORD_FILE names, as the services read it. */
export function mqttPasswordFromEnv(env: Env): string | undefined {
  if (env.MQTT_PASSWORD) return env.MQTT_PASSWORD;
  const file = env.MQTT_PASSWORD_FILE;
  if (!file) return undefined;
  try {
    return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch {
    return undefined;
  }
}

/**
 * Healthy when the service's own retained status topic (`<base>/<service>/<instance>/status`) says "online": its
 * Last Will turns it to "offline" as soon as the service loses the broker or dies.
 */
export function checkMqttStatus(service: string, env: Env = process.env, timeoutMs = 8000): Promise<boolean> {
  const base = env.MQTT_BASE_TOPIC || "smarty";
  const instance = env.SMARTY_INSTANCE || "main";
  const topic = `${base}/${service}/${instance}/status`;
  return new Promise((resolve) => {
    const client = mqtt.connect(env.MQTT_URL ?? "mqtt://127.0.0.1:1883", {
      username: env.MQTT_USERNAME,
      password: mqttPasswordFromEnv(env),
      protocolVersion: Number(env.MQTT_PROTOCOL_VERSION || 4) === 5 ? 5 : 4,
      reconnectPeriod: 0,
      connectTimeout: Math.min(5000, timeoutMs),
    });
    const done = (healthy: boolean) => {
      clearTimeout(timer);
      client.end(true);
      resolve(healthy);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on("connect", () => client.subscribe(topic));
    client.on("message", (_topic, payload) => done(payload.toString() === "online"));
    client.on("error", () => done(false));
  });
}

/** Runs a check as the whole process: exit code 0 when healthy, 1 otherwise. */
export async function exitWithHealth(check: Promise<boolean>): Promise<never> {
  process.exit((await check) ? 0 : 1);
}
