import { join } from "node:path";
import { freePort, runServiceSource, startMosquitto } from "@smarty/testkit";
import { describe, expect, it } from "vitest";

const MAIN = join(import.meta.dirname, "..", "..", "src", "main.ts");
/** docker-compose.yml gives the display the default stop_grace_period. */
const GRACE_MS = 10_000;

describe("display process shutdown", () => {
  it("exits 0 on SIGTERM within its grace period while the broker is down, saying what it could not send", async () => {
    const broker = await startMosquitto();
    const p = runServiceSource(MAIN, {
      MQTT_URL: broker.url,
      DISPLAY_PORT: String(await freePort()),
      DISPLAY_HOST: "127.0.0.1",
    });
    try {
      await p.waitForLog("mqtt connected");
      await broker.pause();
      const exit = await p.terminate();
      expect(exit.code).toBe(0);
      expect(exit.ms).toBeLessThan(GRACE_MS);
      expect(p.lines().find((l) => l.msg === "offline status not published")).toMatchObject({ component: "mqtt" });
      expect(p.lines().at(-1)).toMatchObject({ msg: "stopped" });
    } finally {
      p.child.kill("SIGKILL");
      await broker.stop();
    }
  });
});
