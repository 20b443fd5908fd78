/**
 * The broker connection of service-kit as a named lifecycle component. The connection itself logs broker errors
 * once per burst; this adds the line that matters to an ingest: readings are queued while the broker is away.
 */
import { type Clock, type Component, MqttConnection, type MqttConnectionOptions, redactUrl } from "@smarty/service-kit";
import type { MqttSink } from "./reading-publisher.js";

export type MqttComponent = MqttSink & Component & { readonly connection: MqttConnection };

export function mqttComponent(options: MqttConnectionOptions, clock: Clock): MqttComponent {
  const log = options.logger.child({ component: "mqtt" });
  const connection = new MqttConnection({ ...options, clock });
  let wasConnected = false;
  connection.on("connect", () => {
    wasConnected = true;
  });
  connection.on("close", () => {
    if (wasConnected) log.warn({ url: redactUrl(options.settings.url) }, "mqtt connection lost; readings are queued");
    wasConnected = false;
  });
  return {
    name: "mqtt",
    connection,
    get connected() {
      return connection.connected;
    },
    publish: (topic, payload, opts) => connection.publish(topic, payload, opts),
    on: (event, listener) => connection.on(event, listener),
    off: (event, listener) => connection.off(event, listener),
    subscribe: (filter, handler, qos) => connection.subscribe(filter, handler, qos),
    unsubscribe: (filter) => connection.unsubscribe(filter),
    start: () => connection.start(),
    stop: () => connection.stop(),
  };
}
