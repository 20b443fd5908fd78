/** The image's HEALTHCHECK (`node /app/healthcheck.js`): healthy while this service's /healthz answers 2xx. */
import { checkHttpHealth, exitWithHealth, portFromEnv } from "@smarty/service-kit/healthcheck";

await exitWithHealth(checkHttpHealth(portFromEnv(process.env, "INGEST_HTTP_PORT", 8091)));
