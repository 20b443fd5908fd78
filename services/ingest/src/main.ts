/**
 * Entry point: config → logger → components → run until SIGTERM. Behaviour lives in the modules (service.ts).
 */
import { configOrExit, createLogger, runService } from "@smarty/service-kit";
import { loadIngestConfig } from "./config.js";
import { createIngest } from "./service.js";

const config = configOrExit(() => loadIngestConfig());
const logger = createLogger({ service: "ingest", level: config.LOG_LEVEL });
const ingest = createIngest(config, { logger });
// One component whose stop has its own deadline (INGEST_SHUTDOWN_TIMEOUT + 3 s), well inside compose's
// stop_grace_period; service-kit's overall deadline is only the backstop behind it.
await runService([ingest.lifecycle], logger, { timeoutMs: config.INGEST_SHUTDOWN_TIMEOUT + 4000 });
