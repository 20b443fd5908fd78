/**
 * A server too slow to open the stream (a loaded machine, a Raspberry Pi under load): @xmpp/client gives up after its
 * own 2 s, the bot abandons that attempt, and nothing the abandoned client does afterwards (here a reset of its
 * socket while it closes) may surface as an unhandled rejection in the notifier's log.
 */
import { createServer, type Server, type Socket } from "node:net";
import { loadConfig, systemClock } from "@smarty/service-kit";
import { waitFor } from "@smarty/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { XmppConnection } from "../../src/xmpp/connection.js";
import { xmppEnv, xmppSettings } from "../../src/xmpp/index.js";
import { captureLogs } from "../xmpp/support/log-capture.js";

describe("XMPP server that does not open the stream in time", () => {
  let server: Server;
  let port = 0;
  const sockets = new Set<Socket>();
  let resets = 0;
  beforeAll(async () => {
    // Says nothing; when the client closes its stream, the connection is reset.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
      socket.on("data", (chunk) => {
        if (chunk.toString().includes("</stream:stream>")) {
          resets++;
          socket.resetAndDestroy();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("abandons the attempt and leaves no unhandled rejection behind", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.prependListener("unhandledRejection", onUnhandled);
    const logs = captureLogs();
    const settings = xmppSettings(
      loadConfig(z.object(xmppEnv), {
        XMPP_SERVICE: `xmpp://127.0.0.1:${port}`,
        XMPP_DOMAIN: "localhost",
        XMPP_USERNAME: "smarty",
        XMPP_PASSWORD: "smarty-pw",
        XMPP_ALLOWED_JIDS: "alice@localhost",
      }),
    );
    if (!settings) throw new Error("bot not enabled");
    const connection = new XmppConnection({ settings, log: logs.logger, clock: systemClock, reconnectMinMs: 60_000 });
    try {
      connection.start();
      await waitFor(() => logs.lines.some((l) => l.msg === "xmpp connection failed"), 20_000, "attempt abandoned");
      // The abandoned client is told of the reset while it closes ("xmpp client error", logged at debug).
      await waitFor(() => resets > 0 && logs.lines.some((l) => l.msg === "xmpp client error"), 20_000, "reset seen");
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(unhandled).toEqual([]);
      expect(connection.online).toBe(false);
    } finally {
      await connection.stop();
      process.removeListener("unhandledRejection", onUnhandled);
    }
  });
});
