/**
 * A service of the stack as a local process, configured the way docker-compose.yml configures its container:
 * the compose environment (interpolated with a given `.env`) with the broker URL and ports swapped for loopback
 * ones. The end-to-end tests build the whole stack from these, next to startStackBroker and the other daemons.
 */
import { join } from "node:path";
import { type Daemon, spawnDaemon, untilReady, waitFor } from "@smarty/testkit";
import { composeEnvironment } from "./compose-env.js";
import { ROOT } from "./repo.js";

export interface StackProcess {
  readonly daemon: Daemon;
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The compose service whose environment to use (`ingest`, `ingest-demo`, `exporter`, `display`, `notifier`). */
  readonly composeService: string;
  /** The built entry point, e.g. `services/ingest/dist/main.js`. */
  readonly main: string;
  /** `.env` values for the interpolation. */
  readonly vars: Readonly<Record<string, string | undefined>>;
  /** Replacements for container-only values: MQTT_URL, ports, REDIS_URL, file paths. */
  readonly overrides: Readonly<Record<string, string>>;
  /** An HTTP URL that answers 200 once the service is up (its /healthz), if it has one. */
  readonly readyUrl?: string;
  readonly readyTimeoutMs?: number;
}

export async function startStackProcess(o: StartOptions): Promise<StackProcess> {
  const env = { ...composeEnvironment(o.composeService, o.vars), ...o.overrides };
  const daemon = spawnDaemon(o.composeService, process.execPath, [join(ROOT, o.main)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  if (o.readyUrl) {
    const url = o.readyUrl;
    await untilReady(
      daemon,
      waitFor(
        () =>
          fetch(url).then(
            (r) => r.ok,
            () => false,
          ),
        o.readyTimeoutMs ?? 20_000,
        `${o.composeService} at ${url}`,
      ),
    );
  }
  return { daemon, env, stop: () => daemon.stop() };
}
