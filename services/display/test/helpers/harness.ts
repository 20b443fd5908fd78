/**
 * A running display for integration tests: a real mosquitto, the display built with `createDisplay` on port 0
 * (ManualClock unless a clock is given), and a plain mqtt.js publisher standing in for the ingest and notifier.
 */
import { topics } from "@smarty/contracts";
import type { Reading } from "@smarty/p1";
import { type Clock, ManualClock, silentLogger, startAll, stopAll } from "@smarty/service-kit";
import { type Mosquitto, startMosquitto, waitFor } from "@smarty/testkit";
import mqtt, { type MqttClient } from "mqtt";
import { createDisplay, type Display, type DisplayDeps, loadDisplayConfig } from "../../src/index.js";

export const BASE = "smarty";

export interface Harness {
  readonly broker: Mosquitto;
  readonly display: Display;
  readonly clock: Clock;
  readonly url: string;
  readonly pub: MqttClient;
  /** Publishes a reading retained on its topic and waits until the display has it. */
  publishReading(reading: Reading): Promise<void>;
  publish(topic: string, payload: string | Buffer, retain?: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  deps: Partial<DisplayDeps> & { clock?: Clock } = {},
): Promise<Harness> {
  const broker = await startMosquitto();
  const clock = deps.clock ?? new ManualClock(Date.UTC(2026, 3, 3, 15, 54, 31));
  const config = loadDisplayConfig({ MQTT_URL: broker.url, DISPLAY_PORT: "0", DISPLAY_HOST: "127.0.0.1", ...env });
  const logger = silentLogger();
  const display = createDisplay(config, { logger, ...deps, clock });
  await startAll(display.components, logger);
  await display.connection.waitConnected();
  await display.subscriber.whenSubscribed();
  const pub = await mqtt.connectAsync(broker.url, { clientId: `display-test-${process.pid}-${Date.now()}` });
  const url = `http://127.0.0.1:${display.http.boundPort}`;
  const publish = async (topic: string, payload: string | Buffer, retain = false) => {
    await pub.publishAsync(topic, payload, { qos: 1, retain });
  };
  return {
    broker,
    display,
    clock,
    url,
    pub,
    publish,
    async publishReading(reading) {
      const before = display.store.meterList().find((m) => m.reading.meter_id === reading.meter_id)?.reading;
      await publish(topics.reading(BASE, reading.meter_id), JSON.stringify(reading), true);
      await waitFor(
        () => {
          const now = display.store.meterList().find((m) => m.reading.meter_id === reading.meter_id)?.reading;
          return now !== undefined && now !== before;
        },
        5000,
        "reading at the display",
        5,
      );
    },
    async stop() {
      await pub.endAsync();
      await stopAll(display.components, logger);
      await broker.stop();
    },
  };
}
