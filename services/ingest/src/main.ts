/**
 * Entry point: config → logger → components → run until SIGTERM. Behaviour lives in the modules (service.ts).
 */
import { configOrExit, createLogger, runService } from "@smarty/service-kit";
import { loadIngestConfig } from "./config.js";
import { createIngest } from "./service.js";

const config = configOrExit(() => loadIngestConfig());
const logger = createLogger({ service: "ingest", level: config.LOG_LEVEL });
const ingest = createIngest(config, { logger });
// The publish queue may take INGEST_SHUTDOWN_TIMEOUT to flush; the rest (offline status) gets 3 s more.
await runService(ingest.components, logger, { timeoutMs: config.INGEST_SHUTDOWN_TIMEOUT + 3000 });
