/** Entry point: config → logger → components → run until SIGTERM. Behaviour lives in the modules. */
import { configOrExit, createLogger, runService } from "@smarty/service-kit";
import { loadExporterConfig } from "./config.js";
import { createExporter } from "./exporter.js";

const config = configOrExit(() => loadExporterConfig());
const logger = createLogger({ service: "exporter", level: config.LOG_LEVEL });
const exporter = createExporter(config, { logger });
logger.info(
  {
    port: config.EXPORTER_PORT,
    stale_after_ms: config.EXPORTER_STALE_AFTER,
    power_class_w: config.EXPORTER_POWER_CLASS,
  },
  "exporter configured",
);
await runService(exporter.components, logger);
