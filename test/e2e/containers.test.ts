/**
 * The real thing where a Docker engine exists: testcontainers builds the images and brings docker-compose.yml up
 * with the demo profile (simulator → ingest-demo → broker → exporter, display, Prometheus, Grafana), then a
 * simulated reading must reach the display API and Prometheus through the published host ports, as on a Pi.
 * Machines without an engine (like the CI here) report one line, "skipped: no container runtime": the same flow
 * is proven there by stack.test.ts with the same committed configuration as local processes.
 */
import { randomBytes } from "node:crypto";
import { relative } from "node:path";
import { findObis, metricsOf } from "@smarty/p1";
import { freePort, waitFor } from "@smarty/testkit";
import { DockerComposeEnvironment, getContainerRuntimeClient, Wait } from "testcontainers";
import { describe, expect, it } from "vitest";
import { parseEnvExample } from "../stack/helpers/env-example.js";
import { ROOT } from "../stack/helpers/repo.js";
import { passwordVariable, STACK_USERS } from "../stack/helpers/stack-broker.js";

const runtime = await getContainerRuntimeClient().then(
  () => true,
  () => false,
);

const NO_RUNTIME = "skipped: no container runtime";
const ENERGY = metricsOf(findObis("1-0:1.8.0") ?? (undefined as never))[0];

/** `.env` for the run: the example's values, fresh passwords and free host ports. */
async function dotEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = Object.fromEntries(
    parseEnvExample()
      .filter((e) => !e.commented)
      .map((e) => [e.name, e.value]),
  );
  for (const user of STACK_USERS) env[passwordVariable(user)] = randomBytes(18).toString("base64url");
  env.GRAFANA_ADMIN_PASSWORD = randomBytes(18).toString("base64url");
  for (const port of ["MQTT_HOST_PORT", "DISPLAY_HOST_PORT", "PROMETHEUS_HOST_PORT", "GRAFANA_HOST_PORT"]) {
    env[port] = String(await freePort());
  }
  env.COMPOSE_PROFILES = "demo";
  return env;
}

describe("docker compose --profile demo", () => {
  it("brings the stack up and a simulated reading reaches the display and Prometheus", {
    timeout: 20 * 60_000,
  }, async (ctx) => {
    if (!runtime) {
      // The one sanctioned skip, as one line whatever the reporter (the default one does not list skipped tests).
      process.stderr.write(`${relative(ROOT, import.meta.filename)}: ${NO_RUNTIME}\n`);
      ctx.skip(NO_RUNTIME);
      return;
    }
    const env = await dotEnv();
    const stack = await new DockerComposeEnvironment(ROOT, "docker-compose.yml")
      .withProjectName(`smarty-e2e-${randomBytes(4).toString("hex")}`)
      .withProfiles("demo")
      .withEnvironment(env)
      .withBuild()
      .withDefaultWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(15 * 60_000)
      .up();
    try {
      const display = `http://127.0.0.1:${env.DISPLAY_HOST_PORT}`;
      const prometheus = `http://127.0.0.1:${env.PROMETHEUS_HOST_PORT}`;
      // The simulator sends every 10 s and Prometheus scrapes every 10 s (prometheus/prometheus.yml).
      const meter = await waitFor(
        async () => {
          const body = (await (await fetch(`${display}/api/meters`)).json()) as {
            meters: { meter_id: string; reading: { energy_import_kwh: number } }[];
          };
          return body.meters[0];
        },
        60_000,
        "a meter on the display",
      );
      expect(meter.reading.energy_import_kwh).toBeGreaterThan(0);
      if (!ENERGY) throw new Error("no metric for 1-0:1.8.0 in the OBIS registry");
      const query = ENERGY.name;
      const sample = await waitFor(
        async () => {
          const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
          const body = (await res.json()) as { data?: { result: { value: [number, string] }[] } };
          return body.data?.result[0];
        },
        90_000,
        `a sample of ${query}`,
      );
      expect(Number(sample.value[1])).toBeGreaterThan(0);
    } finally {
      await stack.down({ removeVolumes: true });
    }
  });
});
