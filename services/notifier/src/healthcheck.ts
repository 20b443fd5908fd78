/**
 * The image's HEALTHCHECK (`node /app/healthcheck.js`). The notifier serves no HTTP: healthy while its own retained
 * status topic says "online" (its user may read that topic).
 */
import { checkMqttStatus, exitWithHealth } from "@smarty/service-kit/healthcheck";

await exitWithHealth(checkMqttStatus("notifier"));
