/**
 * The image's HEALTHCHECK (`node /app/healthcheck.js`). The CLI is a tool, not a daemon: a one-off command has no
 * health to report. docker-compose.yml gives the demo simulator its own check (its TCP port answers).
 */
process.exit(0);
