/**
 * The broker connection of service-kit as a named lifecycle component, with its log lines in bursts: a broker that
 * is down for a night must not write one "mqtt error" line per reconnect attempt (every 2 s) to the SD card.
 */
import {
  BurstLogger,
  type Clock,
  type Component,
  MqttConnection,
  type MqttConnectionOptions,
  redactUrl,
} from "@smarty/service-kit";
import type { MqttSink } from "./reading-publisher.js";

export type MqttComponent = MqttSink & Component & { readonly connection: MqttConnection };

export function mqttComponent(options: MqttConnectionOptions, clock: Clock): MqttComponent {
  const log = options.logger.child({ component: "mqtt" });
  const burst = new BurstLogger(log, clock, 300_000);
  // The connection's own per-event warnings are replaced by the burst lines below; its errors still show.
  const connection = new MqttConnection({ ...options, logger: options.logger.child({}, { level: "error" }) });
  let wasConnected = false;
  connection.on("connect", () => {
    wasConnected = true;
    log.info({ url: redactUrl(options.settings.url) }, "mqtt connected");
  });
  connection.on("close", () => {
    if (wasConnected) log.warn({ url: redactUrl(options.settings.url) }, "mqtt connection lost; readings are queued");
    wasConnected = false;
  });
  // Without a listener an EventEmitter "error" would throw and end the process while the broker is merely away.
  connection.on("error", (err) =>
    burst.warn(
      "mqtt_error",
      { err: { message: err.message, code: (err as { code?: unknown }).code } },
      "mqtt connection failed",
    ),
  );
  return {
    name: "mqtt",
    connection,
    get connected() {
      return connection.connected;
    },
    publish: (topic, payload, opts) => connection.publish(topic, payload, opts),
    on: (event, listener) => connection.on(event, listener),
    off: (event, listener) => connection.off(event, listener),
    start: () => connection.start(),
    async stop() {
      burst.flush();
      await connection.stop();
    },
  };
}
