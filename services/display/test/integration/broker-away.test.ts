/**
 * The broker may be down when the display starts (Docker start order, a broker upgrade): the page and API must
 * serve meanwhile, `/healthz` must say 503, and readings must flow once the broker is back.
 */
import { topics } from "@smarty/contracts";
import { ManualClock, silentLogger, startAll, stopAll } from "@smarty/service-kit";
import { startMosquitto, waitFor } from "@smarty/testkit";
import { buildReading } from "@smarty/testkit/reading-builder";
import mqtt from "mqtt";
import { describe, expect, it } from "vitest";
import { createDisplay, loadDisplayConfig } from "../../src/index.js";

describe("display without a broker", () => {
  it("serves while the broker is away and receives readings once it is back", async () => {
    const broker = await startMosquitto();
    await broker.pause();
    const config = loadDisplayConfig({ MQTT_URL: broker.url, DISPLAY_PORT: "0", DISPLAY_HOST: "127.0.0.1" });
    const logger = silentLogger();
    const display = createDisplay(config, { logger, clock: new ManualClock() });
    // MqttConnection retries every 2 s by default; the broker comes back within one period.
    await startAll(display.components, logger);
    try {
      const url = `http://127.0.0.1:${display.http.boundPort}`;
      expect((await fetch(`${url}/`)).status).toBe(200);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "mqtt_disconnected", mqtt: false });

      await broker.resume();
      await display.connection.waitConnected(15_000);
      await display.subscriber.whenSubscribed();
      const pub = await mqtt.connectAsync(broker.url);
      const reading = buildReading();
      await pub.publishAsync(topics.reading("smarty", reading.meter_id), JSON.stringify(reading), { retain: true });
      await pub.endAsync();
      await waitFor(() => display.store.meterList().length === 1, 10_000, "reading after the broker returned");
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await stopAll(display.components, logger);
      await broker.stop();
    }
  });
});
