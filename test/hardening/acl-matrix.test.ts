/**
 * The broker's write permissions as a full matrix, with MQTT v5 reason codes: every user of
 * mosquitto/generate-auth.sh publishes at QoS 1 to one topic of every family (several shapes per family: other
 * meters, other instances, deeper paths) and must get PUBACK 0 where docs/security.md's table lets it write and
 * 135 (0x87, Not authorized) everywhere else. test/stack/broker-acl.test.ts checks reads and retained state; this
 * adds the exact codes, the shapes, and what mosquitto 2.0 does with subscriptions it will not serve.
 */
import { waitFor } from "@smarty/testkit";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StackBroker, startStackBroker } from "../stack/helpers/stack-broker.js";

const NOT_AUTHORIZED = 135;

/** Topic families with a few concrete topics each, written from docs/security.md ("Broker users and ACL"). */
const FAMILIES: Record<string, string[]> = {
  reading: ["smarty/lu-a/reading", "smarty/lu-b/reading"],
  state: ["smarty/lu-a/state/power_import_w"],
  statistics: ["smarty/lu-a/statistics"],
  // contracts' parseTopic reads smarty/alerts/state/x as alert "x" of meter "state": ingest must not write it.
  alerts: ["smarty/alerts/lu-a/power_high", "smarty/alerts/x", "smarty/alerts/state/x", "smarty/alerts/reading"],
  "ingest status/health": ["smarty/ingest/main/status", "smarty/ingest/other/health"],
  "exporter status/health": ["smarty/exporter/main/status", "smarty/exporter/main/health"],
  "display status/health": ["smarty/display/main/status", "smarty/display/b/health"],
  "notifier status/health": ["smarty/notifier/main/status", "smarty/notifier/main/health"],
  "notifier command": ["smarty/notifier/cmd"],
  "notifier response": ["smarty/notifier/cmd/response"],
  "ha discovery": ["homeassistant/sensor/smarty_meter/power/config"],
  "ha birth": ["homeassistant/status"],
  "outside the tree": ["other/topic", "smarty", "$SYS/broker/uptime", "smarty/lu-a/state/a/b"],
};

/** Who may write each family, per the docs table; everyone else must be refused. */
const WRITERS: Record<string, string[]> = {
  reading: ["ingest"],
  state: ["ingest"],
  statistics: ["notifier"],
  alerts: ["notifier"],
  "ingest status/health": ["ingest"],
  "exporter status/health": ["exporter"],
  "display status/health": ["display"],
  "notifier status/health": ["notifier"],
  "notifier command": ["cli"],
  "notifier response": ["notifier"],
  "ha discovery": ["ingest"],
  "ha birth": ["homeassistant"],
  "outside the tree": [],
};

const USERS = ["ingest", "exporter", "display", "notifier", "homeassistant", "cli", "healthcheck"];

let broker: StackBroker;
const clients = new Map<string, MqttClient>();

function reasonCode(c: MqttClient, topic: string): Promise<number> {
  return new Promise((resolve) => {
    c.publish(topic, "matrix", { qos: 1 }, (err, packet) => {
      const code = (err as { code?: number } | undefined)?.code ?? (packet as { reasonCode?: number })?.reasonCode;
      resolve(code ?? 0);
    });
  });
}

beforeAll(async () => {
  broker = await startStackBroker();
  for (const user of USERS) {
    const password = broker.passwords[user] as string;
    clients.set(
      user,
      await mqtt.connectAsync(broker.url, { username: user, password, protocolVersion: 5, reconnectPeriod: 0 }),
    );
  }
});

afterAll(async () => {
  for (const c of clients.values()) await c.endAsync(true).catch(() => undefined);
  await broker?.stop();
});

describe("broker write matrix (MQTT v5 reason codes)", () => {
  it("covers every user of generate-auth.sh", () => {
    expect(Object.keys(broker.passwords).sort()).toEqual([...USERS].sort());
    expect(Object.keys(WRITERS).sort()).toEqual(Object.keys(FAMILIES).sort());
  });

  it.each(USERS)("%s gets PUBACK 0 exactly where the policy lets it write, 135 elsewhere", async (user) => {
    const c = clients.get(user) as MqttClient;
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const [family, list] of Object.entries(FAMILIES)) {
      for (const topic of list) {
        got[`${family}: ${topic}`] = await reasonCode(c, topic);
        want[`${family}: ${topic}`] = WRITERS[family]?.includes(user) ? 0 : NOT_AUTHORIZED;
      }
    }
    expect(got).toEqual(want);
  });

  it("refuses anonymous and wrong-password clients with a v5 CONNACK reason", async () => {
    const refused = (opts: mqtt.IClientOptions) =>
      mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0, ...opts }).then(
        async (c) => {
          await c.endAsync(true);
          return 0;
        },
        (err: { code?: number }) => err.code ?? -1,
      );
    // 135 Not authorized (anonymous), 134 Bad user name or password (MQTT 5.0 §3.2.2.2.1).
    expect([134, 135]).toContain(await refused({}));
    expect([134, 135]).toContain(await refused({ username: "ingest", password: "wrong-password-0123" }));
    expect([134, 135]).toContain(await refused({ username: "nobody", password: "wrong-password-0123" }));
  });

  it("grants a subscription it will not serve (mosquitto 2.0 checks reads at delivery), and delivers nothing", async () => {
    // Mosquitto 2.0's acl_file is checked per message, not at SUBSCRIBE: the SUBACK grants QoS 1 and the
    // denial shows as silence. The display subscribes to everything and must not see the notifier's command.
    const display = clients.get("display") as MqttClient;
    const seen: string[] = [];
    display.on("message", (t) => seen.push(t));
    const granted = await display.subscribeAsync(["#", "smarty/notifier/cmd"], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1]);
    expect(await reasonCode(clients.get("cli") as MqttClient, "smarty/notifier/cmd")).toBe(0);
    expect(await reasonCode(clients.get("display") as MqttClient, "smarty/display/main/status")).toBe(0);
    // The display's own status comes back to it after the command would have: per-connection order.
    await waitFor(() => seen.includes("smarty/display/main/status"), 5000, "own status");
    expect(seen).not.toContain("smarty/notifier/cmd");
  });
});
