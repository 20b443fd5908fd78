/**
 * The bot alone in its own process, configured by XMPP_* variables, answering from the FakeBackend. Tests run it
 * this way to exercise NODE_EXTRA_CA_CERTS, which Node reads only when a process starts. Logs JSON to stdout;
 * SIGTERM stops it cleanly.
 */
import { type Clock, createLogger, loadConfig, startAll, stopAll, systemClock } from "@smarty/service-kit";
import { z } from "zod";
import { createXmpp, xmppEnv, xmppSettings } from "../../../src/xmpp/index.js";
import { FakeBackend, NOW } from "./samples.js";

const logger = createLogger({ service: "notifier", level: "debug" });
const settings = xmppSettings(loadConfig(z.object(xmppEnv), process.env));
if (!settings) throw new Error("XMPP_SERVICE is not set");
const clock: Clock = { ...systemClock, now: () => NOW };
const xmpp = await createXmpp({
  settings,
  backend: new FakeBackend(() => NOW),
  logger,
  clock,
  tuning: { reconnectMinMs: 200 },
});
await startAll(xmpp.components, logger);
// The notifier's MQTT and Redis sockets keep its event loop alive; alone, the bot's unref'd timers would not.
const keepAlive = setInterval(() => undefined, 60_000);
process.once("SIGTERM", () => {
  clearInterval(keepAlive);
  void stopAll(xmpp.components, logger).then(() => process.exit(0));
});
