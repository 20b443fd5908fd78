/**
 * Growing past one home (docs/scaling.md), with the committed examples:
 * - mosquitto/bridge.conf.example appended to the stack's mosquitto.conf bridges `smarty/#` out to a second, real
 *   mosquitto, which receives the readings under `home/<name>/smarty/...`; nothing flows back in.
 * - prometheus/remote-write.example.yml merged into prometheus/prometheus.yml sends the exporter's series to a
 *   second Prometheus started with --web.enable-remote-write-receiver, labelled with `home`.
 * Only the placeholders, the central address and the TLS file are replaced, as the doc tells a user to.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { topics } from "@smarty/contracts";
import {
  findBinary,
  freePort,
  type Mosquitto,
  type Prometheus,
  promtool,
  spawnDaemon,
  startMosquitto,
  startPrometheus,
  tempDir,
  untilReady,
  waitFor,
  waitForPort,
} from "@smarty/testkit";
import mqtt from "mqtt";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { readRepoFile } from "../stack/helpers/repo.js";
import { generateAuth, passwordVariable, rewriteBrokerConfig, testPasswords } from "../stack/helpers/stack-broker.js";
import { readingFor, startService } from "./helpers/services.js";

const HOME = "rue-du-fort-12";
const METER = "lu-scale-meter";
const cleanup: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
});

/** The example with its placeholders filled in for this test. */
function fill(text: string, values: Record<string, string>): string {
  const out = text.replace(/<([^>]+)>/g, (m, name: string) => values[name] ?? m);
  expect(out, "every placeholder filled").not.toMatch(/<[^>\s]+>/);
  return out;
}

describe("a mosquitto bridge to a central broker", () => {
  it("forwards smarty/# under home/<name>/ and takes nothing back", async () => {
    const centralPassword = "central-home-password-0123";
    const central: Mosquitto = await startMosquitto({
      users: [
        { username: HOME, password: centralPassword },
        { username: "operator", password: "operator-password-0123" },
      ],
      acl: `user ${HOME}\ntopic readwrite home/${HOME}/#\n\nuser operator\ntopic readwrite home/#\n`,
    });
    cleanup.push(() => central.stop());

    // The home broker: the stack's generated users and ACL and its mosquitto.conf, with the bridge section appended.
    const bridge = fill(readRepoFile("mosquitto", "bridge.conf.example"), {
      "central.example.org": "127.0.0.1",
      "home-name": HOME,
      "password given by the central operator": centralPassword,
    })
      .replace(":8883", `:${central.port}`)
      // The central test broker is plain MQTT on loopback; TLS is the only part not exercised.
      .replace(/^bridge_(cafile|insecure) .*$/gm, "");
    const dir = tempDir("bridge");
    cleanup.push(() => Promise.resolve(dir.remove()));
    const passwords = testPasswords();
    const auth = await generateAuth(
      join(dir.path, "auth"),
      Object.fromEntries(Object.entries(passwords).map(([u, pw]) => [passwordVariable(u), pw])),
    );
    expect(auth.code, auth.stderr).toBe(0);
    mkdirSync(join(dir.path, "data"));
    const port = await freePort();
    const confPath = join(dir.path, "mosquitto.conf");
    writeFileSync(confPath, `${rewriteBrokerConfig(auth.dir, join(dir.path, "data"), port)}\n${bridge}`);
    const daemon = spawnDaemon("home-mosquitto", findBinary("mosquitto"), ["-c", confPath]);
    cleanup.push(() => daemon.stop());
    await untilReady(daemon, waitForPort(port));

    const observer = await mqtt.connectAsync(central.url, {
      username: "operator",
      password: "operator-password-0123",
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    cleanup.push(() => observer.endAsync());
    const seen = new Map<string, string>();
    observer.on("message", (t, p) => seen.set(t, p.toString()));
    await observer.subscribeAsync(`home/${HOME}/#`, { qos: 1 });
    await waitFor(() => seen.get(`home/${HOME}/bridge/state`) === "1", 15_000, "bridge connected");

    const ingest = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
      username: "ingest",
      password: passwords.ingest,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    cleanup.push(() => ingest.endAsync());
    const reading = JSON.stringify(readingFor(METER, 1.5));
    await ingest.publishAsync(topics.reading("smarty", METER), reading, { qos: 1, retain: true });
    await waitFor(() => seen.has(`home/${HOME}/smarty/${METER}/reading`), 15_000, "reading at the central broker");
    expect(seen.get(`home/${HOME}/smarty/${METER}/reading`)).toBe(reading);

    // The direction is out only: a message published centrally under the home's prefix never reaches the home.
    const local = new Map<string, string>();
    ingest.on("message", (t, p) => local.set(t, p.toString()));
    await ingest.subscribeAsync("smarty/+/reading", { qos: 1 });
    await observer.publishAsync(`home/${HOME}/smarty/forged/reading`, "{}", { qos: 1 });
    await ingest.publishAsync(topics.reading("smarty", "lu-scale-barrier"), "{}", { qos: 1 });
    await waitFor(() => local.has(topics.reading("smarty", "lu-scale-barrier")), 10_000, "barrier");
    expect(local.has(topics.reading("smarty", "forged"))).toBe(false);
  });
});

describe("Prometheus remote_write to a central store", () => {
  it("delivers the exporter's series with the home label to a remote-write receiver", async () => {
    const central: Prometheus = await startPrometheus({
      config: "global:\n  scrape_interval: 1m\n",
      args: ["--web.enable-remote-write-receiver"],
    });
    cleanup.push(() => central.stop());

    const broker = await startMosquitto();
    cleanup.push(() => broker.stop());
    const exporter = await startService("exporter", { MQTT_URL: broker.url });
    cleanup.push(() => exporter.stop());
    const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => pub.endAsync());
    await pub.publishAsync(topics.reading("smarty", METER), JSON.stringify(readingFor(METER, 1.5)), { retain: true });

    const dir = tempDir("remote-write");
    cleanup.push(() => Promise.resolve(dir.remove()));
    const passwordFile = join(dir.path, "remote-write-password");
    writeFileSync(passwordFile, "remote-write-password-0123\n");
    const example = parse(
      fill(readRepoFile("prometheus", "remote-write.example.yml"), {
        "home-name": HOME,
        "central.example.org": central.url.replace("http://", ""),
      }),
    ) as { global: Record<string, unknown>; remote_write: Record<string, unknown>[] };
    const writer = example.remote_write[0] as Record<string, unknown> & { basic_auth: Record<string, string> };
    // The test receiver is plain HTTP on loopback at Prometheus' own receiver path.
    writer.url = `${central.url}/api/v1/write`;
    writer.basic_auth.password_file = passwordFile;
    const merged = parse(readRepoFile("prometheus", "prometheus.yml")) as Record<string, unknown> & {
      global: Record<string, unknown>;
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    merged.global = {
      ...merged.global,
      ...example.global,
      scrape_interval: "1s",
      scrape_timeout: "1s",
      evaluation_interval: "1m",
    };
    merged.remote_write = example.remote_write;
    merged.rule_files = [];
    merged.scrape_configs = merged.scrape_configs
      .filter((j) => j.job_name === "exporter")
      .map((j) => ({ ...j, static_configs: [{ targets: [exporter.http.replace("http://", "")] }] }));
    const config = stringify(merged);
    writeFileSync(join(dir.path, "prometheus.yml"), config);
    const checked = promtool(["check", "config", "prometheus.yml"], undefined, dir.path);
    expect(checked.code, `${checked.stdout}${checked.stderr}`).toBe(0);

    const home = await startPrometheus({ config });
    cleanup.push(() => home.stop());
    const samples = await central.waitForSample(`smarty_power_imported_watts{home="${HOME}",meter="${METER}"}`, 45_000);
    expect(samples[0]?.value?.[1]).toBe("1500");
    // Only smarty_ series leave the home (write_relabel_configs).
    const up = await central.query(`up{home="${HOME}"}`);
    expect(up.result).toEqual([]);
  });
});
