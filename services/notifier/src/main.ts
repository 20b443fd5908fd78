/** Entry point: config → logger → components → run until SIGTERM. Behaviour lives in the modules. */
import { configOrExit, createLogger, runService } from "@smarty/service-kit";
import { loadNotifierConfig } from "./config.js";
import { createNotifier } from "./notifier.js";

const config = configOrExit(() => loadNotifierConfig());
const logger = createLogger({ service: "notifier", level: config.env.LOG_LEVEL });
const notifier = await configOrExitAsync(() => createNotifier(config, { logger }));
logger.info(
  {
    email: config.email
      ? { tls: config.email.smtp.tls, encryption: config.email.encryption, recipients: config.email.to.length }
      : false,
    xmpp: config.xmpp ? { service: config.xmpp.service, contacts: config.xmpp.allowedJids.length } : false,
    tariff: config.file.tariff !== undefined,
    config_file: config.env.NOTIFIER_CONFIG ?? null,
  },
  "notifier configured",
);
await runService(notifier.components, logger);

/** Key files are read while building; a bad one is a configuration error too (exit 78). */
async function configOrExitAsync<T>(build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (err) {
    return configOrExit(() => {
      throw err;
    });
  }
}
