/**
 * End to end on one machine, no Docker: the committed stack (docker-compose.yml environments, mosquitto/ users and
 * ACL, prometheus/ config and rules, the demo simulator's command) as local processes on loopback. A simulated Lux
 * meter's frames go simulator → ingest → broker, and its values must come out at every end a household uses:
 * Prometheus (HTTP API), the display (`/api/meters`), an OpenPGP-encrypted report mail (decrypted by GnuPG) and an
 * XMPP alert to a contact on the bot's allow-list. Expected values are read from the simulated telegrams' text.
 * test/e2e/offline.test.ts runs this file again inside a network namespace that has only loopback.
 */
import { commandResponseSchema, type Statistics, statisticsSchema, topics } from "@smarty/contracts";
import { findObis, metricsOf } from "@smarty/p1";
import { waitFor } from "@smarty/testkit";
import { connectUser, type XmppUser } from "@smarty/testkit/xmpp-user";
import { simpleParser } from "mailparser";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "./helpers/build.js";
import { type LocalStack, RECIPIENT, startLocalStack, XMPP_BOT, XMPP_USER } from "./helpers/local-stack.js";
import { type SimulatedRun, simulatedTelegrams, type TelegramValues, telegramsBetween } from "./helpers/telegrams.js";

const BASE = "smarty";
const ENERGY = metricsOf(findObis("1-0:1.8.0") ?? (undefined as never))[0];

describe("the stack end to end as local processes", () => {
  let stack: LocalStack;
  let run: SimulatedRun;
  let telegrams: TelegramValues[];
  let client: MqttClient;
  let alice: XmppUser;
  const statistics: Statistics[] = [];
  const responses: unknown[] = [];

  /** A check that names every process's output when it fails. */
  const eventually = <T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000) =>
    waitFor(check, timeoutMs, what).catch((err: Error) => {
      throw new Error(`${err.message}\n${stack.logs()}`);
    });
  const byTime = (ms: number) => telegrams.find((t) => t.time === ms);

  beforeAll(async () => {
    await ensureBuilt([
      "services/ingest",
      "services/exporter",
      "services/display",
      "services/notifier",
      "packages/cli",
    ]);
    // One frame a second for 14 s: enough for Prometheus' first scrape at the committed 10 s interval.
    run = { seed: 7, start: Math.ceil(Date.now() / 1000) * 1000, intervalMs: 1000, count: 14 };
    telegrams = simulatedTelegrams(run);
    stack = await startLocalStack(run);
    client = await mqtt.connectAsync(stack.broker.url, {
      username: "cli",
      password: stack.broker.passwords.cli,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    client.on("message", (topic, payload) => {
      if (topic === topics.notifierResponse(BASE)) responses.push(JSON.parse(payload.toString()));
      else statistics.push(statisticsSchema.parse(JSON.parse(payload.toString())));
    });
    await client.subscribeAsync([`${BASE}/+/statistics`, topics.notifierResponse(BASE)], { qos: 1 });
    alice = await connectUser(stack.prosody, XMPP_USER.username, XMPP_USER.password);
  });

  afterAll(async () => {
    await alice?.stop();
    await client?.endAsync();
    await stack?.stop();
  });

  it("shows a simulated reading on the display API", async () => {
    const meter = await eventually(async () => {
      const body = (await (await fetch(`${stack.displayUrl}/api/meters`)).json()) as {
        meters: { meter_id: string; reading: { time: string; energy_import_kwh: number } }[];
      };
      return body.meters[0];
    }, "a meter on the display");
    const t = byTime(Date.parse(meter.reading.time));
    expect(t, `telegram at ${meter.reading.time}`).toBeDefined();
    expect(meter.reading.energy_import_kwh).toBe(Number(t?.importKwh));
  });

  it("has the reading in Prometheus, scraped from the exporter", async () => {
    if (!ENERGY) throw new Error("no metric for 1-0:1.8.0 in the OBIS registry");
    const [sample] = await stack.prometheus
      .waitForSample(ENERGY.name, 40_000)
      .catch((err: Error) => Promise.reject(new Error(`${err.message}\n${stack.logs()}`)));
    const value = Number(sample?.value?.[1]);
    const match = telegrams.find((t) => Math.abs(t.importWh * (ENERGY.scale / 1000) - value) < 1);
    expect(match, `${ENERGY.name} = ${value} J is a register of the simulated telegrams`).toBeDefined();
  });

  it("pushes an alert over XMPP to the contact on the allow-list", async () => {
    const bot = `${XMPP_BOT.username}@${stack.prosody.domain}`;
    const alert = await eventually(
      () => alice.messagesFrom(bot).find((m) => (m.getChildText("body") ?? "").startsWith("[warning]")),
      "the power_import_high alert by XMPP",
    );
    const body = alert.getChildText("body") ?? "";
    expect(body).toMatch(/Import power [\d.]+ kW is above/);
    const shown = /Import power ([\d.]+) kW/.exec(body)?.[1];
    expect(telegrams.map((t) => t.powerImportKw.toFixed(2))).toContain(shown);
  });

  it("mails an encrypted day report on command that GnuPG decrypts to the meter's values", async () => {
    const last = telegrams.at(-1) as TelegramValues;
    // Every frame is in: the report is then the statistics of a finished run.
    const stats = await eventually(
      () => statistics.findLast((s) => Date.parse(s.current.day.last_reading_at ?? "") === last.time),
      "statistics up to the last simulated frame",
    );
    const day = stats.current.day;
    const seen = telegramsBetween(telegrams, Date.parse(day.first_reading_at ?? ""), last.time);
    await client.publishAsync(topics.notifierCommand(BASE), JSON.stringify({ command: "report", period: "day" }), {
      qos: 1,
    });
    const reply = commandResponseSchema.parse(await eventually(() => responses[0], "command response"));
    expect(reply.status).toBe("ok");
    const mail = await eventually(() => stack.smtp.messages.find((m) => m.to.includes(RECIPIENT)), "report mail");
    expect(mail.raw.toString()).not.toContain("Energy imported");

    const outer = await simpleParser(mail.raw);
    const encrypted = outer.attachments.find((a) => a.contentType === "application/octet-stream");
    expect(encrypted, "the PGP/MIME encrypted part (RFC 3156)").toBeDefined();
    const { plaintext } = await stack.gpg.decrypt(encrypted?.content ?? Buffer.alloc(0));
    const text = (await simpleParser(plaintext)).text ?? "";
    const first = seen[0] as TelegramValues;
    const energy = ((last.importWh - first.importWh) / 1000).toFixed(3);
    const volts = seen.map((t) => t.voltageL1);
    const voltage = `${Math.min(...volts).toFixed(1)} – ${Math.max(...volts).toFixed(1)} V`;
    expect(text).toContain(`meter ${stats.meter_id}`);
    expect(text).toMatch(new RegExp(`Energy imported\\s+${energy.replace(".", "\\.")} kWh`));
    expect(text).toMatch(new RegExp(`Voltage L1\\s+${voltage.replaceAll(".", "\\.")}`));
    expect(text).toMatch(new RegExp(`Readings\\s+${seen.length} `));
  });
});
