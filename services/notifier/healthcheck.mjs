#!/usr/bin/env node
/**
 * The notifier image's health check. The notifier serves no HTTP: it is healthy while its own retained status topic
 * says "online" (the Last Will turns it to "offline" as soon as it loses the broker or dies). Reads the broker
 * settings the notifier reads (packages/service-kit commonEnv), the password from MQTT_PASSWORD or the file named by
 * MQTT_PASSWORD_FILE. Exit 0 healthy, 1 not. Plain JavaScript, so it runs without a build step.
 */
import { readFileSync } from "node:fs";
import mqtt from "mqtt";

const env = process.env;
const nonEmpty = (v) => (v === undefined || v === "" ? undefined : v);

function password() {
  const file = nonEmpty(env.MQTT_PASSWORD_FILE);
  if (file === undefined) return nonEmpty(env.MQTT_PASSWORD);
  try {
    // Same rule as the service's loadConfig: one trailing newline is not part of the secret.
    return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch (err) {
    console.error(`healthcheck: cannot read MQTT_PASSWORD_FILE (${err.code ?? "error"})`);
    process.exit(1);
  }
}

const topic = `${env.MQTT_BASE_TOPIC || "smarty"}/notifier/${env.SMARTY_INSTANCE || "main"}/status`;
const client = mqtt.connect(env.MQTT_URL || "mqtt://127.0.0.1:1883", {
  username: nonEmpty(env.MQTT_USERNAME),
  password: password(),
  protocolVersion: Number(env.MQTT_PROTOCOL_VERSION || 4),
  reconnectPeriod: 0,
  connectTimeout: 5000,
});
client.on("connect", () => client.subscribe(topic));
client.on("message", (_topic, payload) => process.exit(String(payload) === "online" ? 0 : 1));
client.on("error", () => process.exit(1));
setTimeout(() => process.exit(1), 8000).unref?.();
