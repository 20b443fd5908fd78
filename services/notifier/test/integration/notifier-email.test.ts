import { alertSchema, commandResponseSchema, statisticsSchema, topics } from "@smarty/contracts";
import { waitFor } from "@smarty/testkit";
import { simpleParser } from "mailparser";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importAt, type Plan, times } from "../helpers/day-plan.js";
import {
  BASE,
  type Daemons,
  notifierEnv,
  type Running,
  runNotifier,
  startDaemons,
} from "../helpers/notifier-harness.js";
import { METER, simReading } from "../helpers/readings.js";

const YAML = `
tariff: {currency: EUR, import_per_kwh: 0.2}
alerts: {rules: {meter_silent: {enabled: false}}}
statistics: {max_gap: 10m}
`;
// 2026-10-25 00:00 local (CEST) to 02:00: 1 kW, 0.25 kWh per quarter, so 2.000 kWh in 8 quarters.
const DAY_START = Date.parse("2026-10-24T22:00:00Z");
const plan: Plan = {
  start: DAY_START,
  importStart: 1000,
  exportStart: 0,
  importQuarter: () => 0.25,
  exportQuarter: () => 0,
};
const S = 1000;

describe("notifier: statistics, commands and encrypted mail end to end", () => {
  let d: Daemons;
  let client: MqttClient;
  const received = new Map<string, Buffer>();
  const responses: unknown[] = [];
  let run: Running | undefined;

  const mailsTo = (addr: string) => d.smtp.messages.filter((m) => m.to.includes(addr));
  async function decrypt(raw: Buffer) {
    const outer = await simpleParser(raw);
    const { plaintext } = await d.gpg.decrypt(outer.attachments[1]!.content);
    return simpleParser(plaintext);
  }
  async function command(body: object) {
    const n = responses.length;
    await client.publishAsync(topics.notifierCommand(BASE), JSON.stringify(body), { qos: 1 });
    await waitFor(() => responses.length > n, 30_000, "command response");
    return commandResponseSchema.parse(responses[n]);
  }

  beforeAll(async () => {
    d = await startDaemons();
    client = await mqtt.connectAsync(d.mosquitto.url, { reconnectPeriod: 0 });
    client.on("message", (topic, payload) => {
      if (topic === topics.notifierResponse(BASE)) responses.push(JSON.parse(payload.toString()));
      else received.set(topic, payload);
    });
    await client.subscribeAsync([`${BASE}/+/statistics`, `${BASE}/alerts/#`, topics.notifierResponse(BASE)], {
      qos: 1,
    });
  });

  afterAll(async () => {
    await run?.stop();
    await client?.endAsync();
    await d?.stop();
  });

  it("publishes statistics, mails an encrypted report on command, and never mails a recipient without a key", async () => {
    run = await runNotifier(notifierEnv(d, YAML), DAY_START);
    // The start-up key check already raised the alert about bob and mailed it to alice.
    const bobAlert = topics.alert(BASE, "notifier", "email_undeliverable_bob_example_org");
    await waitFor(() => received.get(bobAlert), 30_000, "alert about bob's key");
    expect(alertSchema.parse(JSON.parse(received.get(bobAlert)!.toString()))).toMatchObject({
      state: "active",
      severity: "critical",
      message: "Mail to bob@example.org not sent: no usable OpenPGP key for bob@example.org: missing",
    });
    await waitFor(() => mailsTo("alice@example.org").length === 1, 30_000, "alert mail to alice");

    // The notifier reads its clock when it handles a reading, so the clock moves on only once the previous reading
    // is folded in: a lagging notifier would otherwise see every late reading at the last time and hold back the
    // statistics for a publish interval that the manual clock never reaches.
    let n = 0;
    for (const t of times(DAY_START, DAY_START + 2 * 3600 * S, 300 * S)) {
      run.clock.set(t);
      await client.publishAsync(
        topics.reading(BASE, METER),
        JSON.stringify(simReading(t, { import_kwh: importAt(plan, t) })),
        { qos: 1, retain: true },
      );
      n++;
      await waitFor(() => run!.notifier.core.statistics(METER)?.current.day.readings === n, 30_000, `reading ${n}`);
    }
    const statsTopic = topics.statistics(BASE, METER);
    const stats = await waitFor(
      () => {
        const p = received.get(statsTopic);
        const s = p && statisticsSchema.parse(JSON.parse(p.toString()));
        return s && s.current.day.readings === 25 ? s : undefined;
      },
      30_000,
      "statistics of 25 readings",
    );
    expect(stats.current.day).toMatchObject({
      start: "2026-10-25T00:00:00+02:00",
      energy_import_kwh: 2,
      peak_15min_import_kw: 1,
      cost: { energy: 0.4, total: 0.4 },
      complete: false,
    });

    const reply = await command({ command: "report", period: "day", transaction: "r1" });
    expect(reply).toMatchObject({ status: "ok", transaction: "r1", data: { period: "day" } });
    await waitFor(() => mailsTo("alice@example.org").length === 2, 30_000, "report mail");
    await run.notifier.worker.idle();
    expect(mailsTo("bob@example.org")).toEqual([]);
    expect((await run.notifier.outbox.dead()).map((x) => x.reason)).toContain(
      "no usable OpenPGP key for bob@example.org: missing",
    );

    const raw = mailsTo("alice@example.org")[1]!.raw;
    // The armored ciphertext is base64 and may spell "kWh" by chance: scan everything around it.
    const clear = raw.toString().replace(/-----BEGIN PGP MESSAGE-----[\s\S]*?-----END PGP MESSAGE-----/, "");
    expect(clear).toContain("multipart/encrypted");
    for (const leak of ["2.000", "kWh", "Energy", "hourly", METER, "0.40"]) expect(clear).not.toContain(leak);
    const inner = await decrypt(raw);
    expect(inner.text).toMatch(/Energy imported\s+2\.000 kWh/);
    expect(inner.text).toMatch(/Peak 15-minute import\s+1\.000 kW at 00:00/);
    expect(inner.text).toMatch(/Cost\s+0\.40 EUR/);
    const csv = inner.attachments.find((a) => a.filename === "hourly.csv")!.content.toString();
    expect(csv.split("\r\n").slice(0, 3)).toEqual([
      "hour_start,import_kwh,export_kwh",
      "2026-10-25T00:00:00+02:00,1.000,", // these readings carry no export register
      "2026-10-25T01:00:00+02:00,1.000,",
    ]);
    const png = inner.attachments.find((a) => a.filename === "chart.png")!.content;
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });

  it("answers bad commands with an error and mutes on command", async () => {
    expect(await command({ command: "explode", transaction: "x" })).toMatchObject({
      status: "error",
      transaction: "x",
    });
    const muted = await command({ command: "mute", duration_s: 3600 });
    // The clock is at 02:00 CEST; an hour later it is 02:00 again, in CET (the October change).
    expect(muted).toMatchObject({ status: "ok", data: { muted_until: "2026-10-25T02:00:00+01:00" } });
    expect(await command({ command: "unmute" })).toMatchObject({ status: "ok", data: { muted_until: null } });
  });

  it("rejects a reading published under another meter's topic instead of counting it for that meter", async () => {
    if (!run) throw new Error("needs the first test");
    const core = run.notifier.core;
    const before = core.rejected;
    const reading = simReading(run.clock.now(), { import_kwh: 5, power_kw: 1 }, "SAG_OTHER");
    await core.onReading(topics.reading(BASE, "SAG_THIRD"), Buffer.from(JSON.stringify(reading)));
    expect(core.rejected).toBe(before + 1);
    expect(core.meters()).not.toContain("SAG_OTHER");
    expect(core.meters()).not.toContain("SAG_THIRD");
  });

  it("checks the ingest health topic, and forgets an ingest whose retained health is emptied", async () => {
    if (!run) throw new Error("needs the first test");
    const core = run.notifier.core;
    const before = core.rejected;
    const at = new Date(run.clock.now()).toISOString();
    const health = {
      instance: "edge",
      state: "ok",
      source: "tcp://meter:2001",
      started_at: at,
      updated_at: at,
      last_frame_at: at,
      ...Object.fromEntries(
        ["frames_ok", "authentication_failures", "crc_failures", "format_errors", "replays", "missed_frames"].map(
          (k) => [k, 0],
        ),
      ),
      ...Object.fromEntries(
        ["meter_changes", "stale_readings", "bytes", "skipped_bytes", "reconnects", "queue_length"].map((k) => [k, 0]),
      ),
      dropped_readings: 0,
      meters: [],
    };
    const instances = () => core.ingestHealth().map((h) => h.instance);
    await core.onHealth(topics.health(BASE, "exporter", "edge"), Buffer.from(JSON.stringify(health)));
    expect(core.rejected).toBe(before + 1);
    expect(instances()).not.toContain("edge");
    await core.onHealth(topics.health(BASE, "ingest", "edge"), Buffer.from(JSON.stringify(health)));
    expect(instances()).toContain("edge");
    await core.onHealth(topics.health(BASE, "ingest", "edge"), Buffer.alloc(0));
    expect(instances()).not.toContain("edge");
    expect(core.rejected).toBe(before + 1);
  });

  it("keeps a report while SMTP is down and delivers it once when it returns", async () => {
    if (!run) throw new Error("needs the first test");
    const r = run;
    const before = mailsTo("alice@example.org").length;
    await d.smtp.stop();
    await command({ command: "report", period: "week" });
    await r.notifier.worker.idle();
    expect(await r.notifier.outbox.pending()).toBeGreaterThan(0); // alice's (and bob's, behind the paused channel)
    for (let i = 0; i < 3; i++) {
      r.clock.advance(60 * S); // retries with back-off, all refused
      await r.notifier.worker.idle();
    }
    expect(mailsTo("alice@example.org").length).toBe(before);
    await d.smtp.start();
    r.clock.advance(10 * 60 * S);
    await waitFor(() => mailsTo("alice@example.org").length === before + 1, 30_000, "mail after the outage");
    for (let i = 0; i < 3; i++) {
      r.clock.advance(10 * 60 * S);
      await r.notifier.worker.idle();
    }
    expect(mailsTo("alice@example.org").length).toBe(before + 1);
    expect(await r.notifier.outbox.pending()).toBe(0);
    expect((await decrypt(mailsTo("alice@example.org")[before]!.raw)).text).toContain("Smarty week report 2026-W43");
  });

  it("sends what was pending before a restart exactly once", async () => {
    if (!run) throw new Error("needs the first test");
    const env = notifierEnv(d, YAML);
    const first = await runNotifier(env, DAY_START + 3 * 3600 * S);
    // Settle the start: the retained reading gives the new state its meter, the key check mails alice.
    await waitFor(async () => (await first.notifier.stats.meters()).length === 1, 30_000, "retained reading");
    await waitFor(async () => (await first.notifier.outbox.pending()) === 0, 30_000, "start-up mail");
    await first.notifier.worker.idle();
    const before = mailsTo("alice@example.org").length;
    await d.smtp.stop();
    await first.notifier.reports.send("day", DAY_START, true);
    await first.notifier.worker.idle();
    expect(await first.notifier.outbox.pending()).toBeGreaterThan(0);
    await first.stop();
    await d.smtp.start();
    const second = await runNotifier(env, DAY_START + 4 * 3600 * S);
    try {
      await waitFor(() => mailsTo("alice@example.org").length >= before + 1, 30_000, "pending mail after restart");
      for (let i = 0; i < 3; i++) {
        second.clock.advance(10 * 60 * S);
        await second.notifier.worker.idle();
      }
      expect(mailsTo("alice@example.org").length).toBe(before + 1);
      expect(mailsTo("bob@example.org")).toEqual([]);
      expect(await second.notifier.outbox.pending()).toBe(0);
    } finally {
      await second.stop();
    }
  });

  it("publishes a throttled statistics update when the publish interval ends, without a further reading", async () => {
    if (!run) throw new Error("needs the first test");
    const r = run;
    const meter = "SAG_TRAILING";
    const stats = () => {
      const p = received.get(topics.statistics(BASE, meter));
      return p ? statisticsSchema.parse(JSON.parse(p.toString())) : undefined;
    };
    const t0 = r.clock.now();
    const send = (t: number, kwh: number) =>
      client.publishAsync(
        topics.reading(BASE, meter),
        JSON.stringify(simReading(t, { import_kwh: kwh, power_kw: 1 }, meter)),
        {
          qos: 1,
        },
      );
    await send(t0, 10);
    await waitFor(() => stats()?.current.day.readings === 1, 30_000, "first statistics");
    await send(t0 + 1000, 10.001);
    await waitFor(
      () =>
        r.notifier.core.latestReceivedAt(meter) !== undefined &&
        r.notifier.core.statistics(meter)?.current.day.readings === 2,
      30_000,
      "second reading processed",
    );
    expect(stats()?.current.day.readings).toBe(1);
    r.clock.advance(10_000);
    await waitFor(() => stats()?.current.day.readings === 2, 30_000, "trailing statistics");
  });
});
