import { PassThrough } from "node:stream";
import { FileSource } from "@smarty/ingest-core";
import { createLogger, ManualClock } from "@smarty/service-kit";
import { waitFor } from "@smarty/testkit";
import { captureLogs } from "@smarty/testkit/capture-logs";
import { encryptedFrame, KEY_HEX } from "@smarty/testkit/smarty-meter";
import { describe, expect, it } from "vitest";
import { loadIngestConfig } from "../src/config.js";
import { createIngest } from "../src/service.js";

describe("createIngest", () => {
  it("warns at start when GCM tag verification is switched off, and never logs the key or password", async () => {
    const logs = captureLogs(createLogger, "ingest");
    const clock = new ManualClock();
    const stdin = new PassThrough();
    const config = loadIngestConfig({
      MQTT_URL: "mqtt://user:hunter2-secret@127.0.0.1:1",
      MQTT_PASSWORD: "hunter2-secret",
      SMARTY_SOURCE: "-",
      SMARTY_KEY: KEY_HEX,
      SMARTY_VERIFY_TAG: "false",
      INGEST_HTTP_PORT: "0",
    });
    const source = new FileSource({
      path: "-",
      speed: "max",
      intervalMs: 0,
      clock,
      logger: logs.logger,
      stream: stdin,
    });
    const ingest = createIngest(config, { logger: logs.logger, clock, source, httpHost: "127.0.0.1" });
    await ingest.start();
    stdin.write(encryptedFrame(0));
    await waitFor(() => ingest.monitor.counters.frames_ok === 1, 5000, "frame decoded");
    // The broker is unreachable: the reading waits in the queue, and stop reports it.
    expect(ingest.publisher.queue.length).toBe(1);
    const stopping = ingest.stop();
    await waitFor(
      () => {
        clock.advance(1000);
        return logs.messages().includes("publish queue not empty at stop: readings not published");
      },
      10_000,
      "stop report",
    );
    await stopping;
    const warning = logs.records().find((r) => String(r.msg).startsWith("GCM tag verification is off"));
    expect(warning?.level).toBe(40);
    const configured = logs.records().find((r) => r.msg === "ingest configured");
    expect(configured).toMatchObject({ key_configured: true, mqtt_url: "mqtt://[redacted]@127.0.0.1:1" });
    expect(logs.text().toLowerCase()).not.toContain(KEY_HEX.toLowerCase());
    expect(logs.text()).not.toContain("hunter2-secret");
  });
});
