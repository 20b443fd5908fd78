/** Entry point: config → logger → components → run until SIGTERM. Behaviour lives in the modules. */
import { configOrExit, createLogger, runService } from "@smarty/service-kit";
import { loadDisplayConfig } from "./config.js";
import { createDisplay } from "./display.js";

const config = configOrExit(() => loadDisplayConfig());
const logger = createLogger({ service: "display", level: config.LOG_LEVEL });
const display = createDisplay(config, { logger });
logger.info(
  {
    port: config.DISPLAY_PORT,
    stale_after_ms: config.DISPLAY_STALE_AFTER,
    basic_auth: config.DISPLAY_BASIC_AUTH_USER !== undefined,
    power_class_kw: config.DISPLAY_POWER_CLASS_KW ?? null,
  },
  "display configured",
);
await runService(display.components, logger);
