/**
 * The soak: simulated meters → TCP bridges and a serial pty → one ingest process per meter → mosquitto →
 * exporter, display and notifier (Redis, SMTP, Prosody), in fast time: the next frame is written as soon as the
 * pipeline has taken the previous ones (at most `window` unconfirmed frames per meter, and the notifier's
 * statistics at most two windows behind). Faults come from the seeded plan. `checkSoak` judges the result.
 */
import { randomBytes } from "node:crypto";
import { mixSeed, Prng } from "@smarty/simulator";
import { type Fault, OUTAGE_STEPS, planFaults } from "./fault-plan.js";
import { IngestCounters } from "./ingest-counters.js";
import { dstStart, soakDays } from "./lux-calendar.js";
import { MeterFeed } from "./meter-feed.js";
import type { FaultKind, SoakOptions } from "./options.js";
import { SerialCable, TcpBridge } from "./paths.js";
import { Recorder } from "./recorder.js";
import { type Stack, startStack } from "./stack.js";
import { importRaised, yearsAhead } from "./telegram-edit.js";
import { until } from "./wait.js";

/** Frames written while a path comes back, before a reading proves it: uncertain, at most this many per fault. */
export const PROBE_FRAMES = 2;

/** One injected fault and the uncertain frames it answers for. */
export interface FaultRecord {
  readonly id: number;
  /** `start`: the first frames of a meter, before its ingest proved the path. */
  readonly kind: FaultKind | "start";
  readonly step: number;
  /** Meter index, -1 for a shared daemon. */
  readonly meter: number;
  /** Frames it made uncertain: in flight when it struck, and probes when the path came back. */
  uncertain: number;
  /** How many of them it may lose: the frames in flight it caught plus at most PROBE_FRAMES probes. */
  bound: number;
  /** Frames written and not yet a reading when it struck (0 for faults that wait until the pipeline is idle). */
  inFlight: number;
}

export interface SoakRun {
  readonly options: SoakOptions;
  readonly stack: Stack;
  readonly feeds: MeterFeed[];
  readonly counters: IngestCounters[];
  readonly recorder: Recorder;
  readonly midnights: number[];
  readonly dstDay: number;
  readonly faults: Fault[];
  /** Every fault injected, by id (the cause recorded with each uncertain frame). */
  readonly records: FaultRecord[];
  readonly injected: Map<FaultKind | "dst_change", number>;
  /** Report requests: closed day start → reply received. */
  readonly reports: Map<number, boolean>;
  readonly problems: string[];
  /** Wall time of each fault, to place anomalies. */
  readonly faultLog: readonly { at: number; kind: string; step: number }[];
  readonly wallMs: number;
  stop(): Promise<void>;
}

const METER_IDS = (n: number) => Array.from({ length: n }, (_, i) => `SAG${10 + i}30700012${String(701 + i)}`);

export async function runSoak(o: SoakOptions, log: (line: string) => void = () => undefined): Promise<SoakRun> {
  const t0 = Date.now();
  const { start, midnights, dstDay } = soakDays(o.days);
  const end = midnights.at(-1) ?? start;
  const steps = Math.floor((end - start) / o.intervalMs) + 1;
  const midnightSteps = midnights.map((m) => Math.round((m - start) / o.intervalMs));
  const rng = new Prng(mixSeed(o.seed, 5));
  const keys = Array.from({ length: o.meters }, () => randomBytes(16));
  const otherKey = randomBytes(16);
  const paths = await Promise.all(
    Array.from({ length: o.meters }, (_, i) => (i === o.meters - 1 ? SerialCable.start() : TcpBridge.start())),
  );
  const stack = await startStack(
    paths.map((p, i) => ({ kind: p.kind, source: p.url, keyHex: keys[i]?.toString("hex") ?? "" })),
  );
  const ids = METER_IDS(o.meters);
  const feeds = ids.map(
    (meterId, i) =>
      new MeterFeed({
        index: i,
        seed: mixSeed(o.seed, 100 + i),
        meterId,
        start,
        intervalMs: o.intervalMs,
        frames: steps,
        key: keys[i] ?? Buffer.alloc(16),
        path: paths[i] as TcpBridge | SerialCable,
      }),
  );
  const counters = stack.ingestPorts.map((p) => new IngestCounters(p));
  const recorder = new Recorder(stack.mosquitto.url);
  for (const f of feeds) recorder.onReadings(f.meterId, (fc, dup) => f.onReading(fc, dup));
  await recorder.start();
  const faults = planFaults(o, steps, midnightSteps);
  const injected = new Map<FaultKind | "dst_change", number>();
  const count = (k: FaultKind | "dst_change") => injected.set(k, (injected.get(k) ?? 0) + 1);
  const problems: string[] = [];
  const reports = new Map<number, boolean>();
  const rss = setInterval(() => {
    for (const s of stack.services) s.sampleRss();
  }, 1000);

  const records: FaultRecord[] = [];
  // Per-meter state. A probe: the path is coming back after fault `cause`; `left` uncertain frames may still go.
  const probe = feeds.map((): { cause: number; left: number } | undefined => undefined);
  const probeAfter = (m: number, cause: number) => {
    probe[m] = { cause, left: PROBE_FRAMES };
    const r = records[cause];
    if (r) r.bound += PROBE_FRAMES;
  };
  const struck = (cause: number, meters: readonly MeterFeed[]) => {
    const r = records[cause];
    if (r) r.inFlight += meters.reduce((a, f) => a + f.inFlight().length, 0);
  };
  const caught = (cause: number, frames: number) => {
    const r = records[cause];
    if (!r) return;
    r.uncertain += frames;
    r.bound += frames;
  };
  // A frame captured before an ingest restart, written again as soon as the new process reads its source.
  const replayOnReturn = feeds.map((): Buffer | undefined => undefined);
  // Faults that strike right after this step's frame of their meter is written (-1: after every meter's frame).
  const midFlight = new Map<number, (() => Promise<void>)[]>();
  const strikeAfter = (m: number, fn: () => Promise<void>) => midFlight.set(m, [...(midFlight.get(m) ?? []), fn]);
  const ingestDown = feeds.map(() => false);
  const wrongKeyLeft = feeds.map(() => 0);
  // Step from which an injected corruption can be confirmed in /healthz (a cut frame shows when the next one came).
  const confirmFrom = feeds.map((): number | undefined => undefined);
  // A serial path takes bytes only once the ingest has the port open: bytes written into a pty nobody reads fill
  // it and block the writer. Until then the meter's frames are not sent.
  const gate = feeds.map((): { ready: () => Promise<boolean>; deadline: number } | undefined => undefined);
  const gateOn = (m: number, ready: () => Promise<boolean>) => {
    gate[m] = { ready, deadline: Date.now() + 120_000 };
  };
  const actions = new Map<string, FaultKind>();
  const later = new Map<number, (() => Promise<void> | void)[]>();
  const at = (step: number, fn: () => Promise<void> | void) => later.set(step, [...(later.get(step) ?? []), fn]);
  let brokerDown = false;
  const faultLog: { at: number; kind: string; step: number }[] = [];
  let pacingTimeouts = 0;
  let stuck = false;

  const restartIngest = async (m: number, signal: NodeJS.Signals, step: number, id: number, inFlight = false) => {
    const svc = stack.ingests[m];
    const c = counters[m];
    const feed = feeds[m];
    if (!svc || !c || !feed) return;
    if (signal === "SIGTERM" && !inFlight) await until(() => feed.pendingSent === 0, 20_000);
    // A kill or a stop with frames in flight strikes at once: no /healthz round trip that would let them land.
    await c.endLifetime(signal === "SIGTERM" && !inFlight);
    struck(id, [feed]);
    ingestDown[m] = true;
    await svc.stop(signal);
    // Killed, or stopped before it read what was on its socket: those frames may be gone.
    if (signal === "SIGKILL" || inFlight) caught(id, feed.inFlightBecomeUncertain(id));
    at(step + 5, () => {
      svc.start();
      ingestDown[m] = false;
      probeAfter(m, id);
      if (paths[m]?.kind === "serial") {
        let answeredAt = 0;
        gateOn(m, async () => {
          if (answeredAt === 0 && (await c.fetch())) answeredAt = Date.now();
          return answeredAt > 0 && Date.now() - answeredAt > 500;
        });
      }
    });
  };

  const apply = async (f: Fault, step: number, id: number) => {
    records[id] = { id, kind: f.kind, step, meter: f.meter, uncertain: 0, bound: 0, inFlight: 0 };
    count(f.kind);
    faultLog.push({ at: Date.now(), kind: f.kind, step });
    log(`step ${step}: ${f.kind}${f.meter >= 0 ? ` (meter ${f.meter + 1})` : ""}`);
    const m = f.meter;
    switch (f.kind) {
      case "broker_restart":
        brokerDown = true;
        await stack.mosquitto.pause();
        at(step + 5, async () => {
          await stack.mosquitto.resume();
          brokerDown = false;
        });
        return;
      case "redis_restart":
        await stack.redis.restart();
        return;
      case "smtp_outage":
        await stack.smtp.stop();
        at(step + OUTAGE_STEPS, () => stack.smtp.start());
        return;
      case "xmpp_outage":
        await stack.prosody.pause();
        at(step + OUTAGE_STEPS, () => stack.prosody.resume());
        return;
      case "notifier_sigterm":
        await stack.notifier.restart("SIGTERM");
        return;
      case "notifier_sigkill":
        await stack.notifier.restart("SIGKILL");
        return;
      case "broker_kill":
        // SIGKILL with readings in flight: what the broker took since its last autosave (1 s) dies with it.
        strikeAfter(-1, async () => {
          brokerDown = true;
          struck(id, feeds);
          await stack.mosquitto.crash();
          for (const feed of feeds) caught(id, feed.inFlightBecomeUncertain(id));
          at(step + 5, async () => {
            await stack.mosquitto.resume();
            brokerDown = false;
          });
        });
        return;
      case "ingest_sigterm":
        return restartIngest(m, "SIGTERM", step, id);
      case "ingest_sigkill":
        return restartIngest(m, "SIGKILL", step, id);
      case "ingest_sigterm_inflight":
        strikeAfter(m, () => restartIngest(m, "SIGTERM", step, id, true));
        return;
      case "replay_after_restart": {
        // A frame the ingest published before its restart, sent again first thing after it: must be refused.
        const feed = feeds[m];
        await until(() => (feed?.pendingSent ?? 0) === 0, 20_000);
        const old = feed?.written.get(step - 3);
        if (!feed || !old || feed.fateOf(step - 3) !== "sent" || !feed.isReceived(step - 3)) {
          problems.push(`replay after restart at step ${step} on meter ${m + 1} had no published frame to replay`);
          return;
        }
        await restartIngest(m, "SIGTERM", step, id);
        replayOnReturn[m] = old;
        return;
      }
      case "tcp_drop":
      case "tcp_drop_inflight": {
        const bridge = paths[m] as TcpBridge;
        const drop = async () => {
          struck(id, feeds.slice(m, m + 1));
          await bridge.drop();
          if (f.kind === "tcp_drop_inflight") caught(id, feeds[m]?.inFlightBecomeUncertain(id) ?? 0);
          at(step + 5, async () => {
            await bridge.restore();
            probeAfter(m, id);
          });
        };
        if (f.kind === "tcp_drop_inflight") strikeAfter(m, drop);
        else {
          await until(() => (feeds[m]?.pendingSent ?? 0) === 0, 20_000);
          await drop();
        }
        return;
      }
      case "serial_unplug":
      case "serial_unplug_inflight": {
        const cable = paths[m] as SerialCable;
        const c = counters[m];
        const unplug = async () => {
          const before = c?.reconnects ?? 0;
          struck(id, feeds.slice(m, m + 1));
          await cable.unplug();
          if (f.kind === "serial_unplug_inflight") caught(id, feeds[m]?.inFlightBecomeUncertain(id) ?? 0);
          at(step + 5, async () => {
            await cable.replug();
            probeAfter(m, id);
            gateOn(m, async () => (await c?.fetch()) !== undefined && (c?.reconnects ?? 0) > before);
          });
        };
        if (f.kind === "serial_unplug_inflight") {
          await c?.fetch();
          strikeAfter(m, unplug);
        } else {
          await until(() => (feeds[m]?.pendingSent ?? 0) === 0, 20_000);
          await c?.fetch();
          await unplug();
        }
        return;
      }
      case "key_change":
        wrongKeyLeft[m] = o.keyChangeFrames;
        return;
      default:
        actions.set(`${step}/${m}`, f.kind);
    }
  };

  const emit = async (m: number, step: number) => {
    const feed = feeds[m];
    const c = counters[m];
    if (!feed || !c) return;
    const f = feed.next();
    const g = gate[m];
    if (g && !(await g.ready())) {
      if (Date.now() > g.deadline) {
        problems.push(`meter ${m + 1}: the ingest did not reopen the serial port within 120 s (step ${step})`);
        gate[m] = undefined;
        ingestDown[m] = true;
      }
      await feed.write(step, Buffer.alloc(0), "lost");
      return;
    }
    gate[m] = undefined;
    if (ingestDown[m] || !feed.path.connected()) {
      await feed.write(step, Buffer.alloc(0), "lost");
      return;
    }
    const action = actions.get(`${step}/${m}`);
    const replay = replayOnReturn[m];
    if (replay) {
      replayOnReturn[m] = undefined;
      c.expected.replays++;
      confirmFrom[m] = step;
      await feed.path.write(replay);
    }
    if (wrongKeyLeft[m] ?? 0) {
      wrongKeyLeft[m] = (wrongKeyLeft[m] ?? 1) - 1;
      feed.markCorrupt(step);
      c.expected.authentication_failures++;
      await feed.path.write(feed.encrypt(f, otherKey));
      if (wrongKeyLeft[m] === 0) confirmFrom[m] = step;
      return;
    }
    const good = feed.encrypt(f);
    if (action === "clock_jump") {
      // Genuine key and frame counter, meter time five years ahead: held back by ingest, never published.
      feed.markCorrupt(step);
      c.expected.clock_suspect_readings++;
      confirmFrom[m] = step;
      await feed.path.write(feed.encrypt(f, undefined, yearsAhead(f.telegram, 5)));
      return;
    }
    if (action === "forged_frame") {
      // Someone on the bridge's network writes a plaintext telegram for this meter, same time as the genuine
      // one, 500 kWh more: refused while a key is set; had it been taken, the genuine frame would be stale.
      c.expected.plaintext_rejected++;
      confirmFrom[m] = step;
      await feed.path.write(Buffer.from(importRaised(f.telegram, 500), "latin1"));
    }
    if (action === "corrupt_bytes") {
      const bad = Buffer.from(good);
      const pos = rng.int(18, bad.length - 13);
      bad[pos] = (bad[pos] ?? 0) ^ (1 << rng.int(0, 7));
      feed.markCorrupt(step);
      c.expected.authentication_failures++;
      confirmFrom[m] = step;
      await feed.path.write(bad);
      return;
    }
    if (action === "crc_corrupt") {
      // The meter itself garbled a digit: the GCM tag is valid, the DSMR CRC is not.
      const t = f.telegram;
      const pos = t.indexOf("1-0:32.7.0(") + 11;
      const digit = t[pos] === "9" ? "8" : "9";
      feed.markCorrupt(step);
      c.expected.crc_failures++;
      confirmFrom[m] = step;
      await feed.path.write(feed.encrypt(f, undefined, t.slice(0, pos) + digit + t.slice(pos + 1)));
      return;
    }
    if (action === "truncated_frame") {
      const cut = rng.int(40, good.length - 40);
      feed.markCorrupt(step);
      c.expected.skipped_bytes += cut;
      confirmFrom[m] = step + 1;
      await feed.path.write(good.subarray(0, cut));
      return;
    }
    if (action === "junk_bytes") {
      // Line noise between frames; no 0xDB or '/' that could start a frame.
      const junk = Buffer.from(Array.from({ length: rng.int(5, 60) }, () => rng.int(0x30, 0x7e)));
      c.expected.skipped_bytes += junk.length;
      confirmFrom[m] = step;
      await feed.path.write(junk);
    }
    const p = probe[m];
    if (p) {
      p.left--;
      caught(p.cause, 1);
      const r = records[p.cause];
      if (r) r.bound--; // counted in the probe allowance already
    }
    await feed.write(step, good, p ? "uncertain" : "sent", p?.cause);
    if (action === "replayed_frame") {
      const old = feed.written.get(step - 3);
      if (old && feed.fateOf(step - 3) === "sent") {
        c.expected.replays++;
        confirmFrom[m] = step;
        await feed.path.write(old);
      } else problems.push(`replay at step ${step} on meter ${m + 1} had no confirmed frame to replay`);
    }
    // A reading proves the path; after PROBE_FRAMES unproven frames, every further frame must arrive.
    if (p && ((await until(() => feed.isReceived(step), 5000)) || p.left <= 0)) probe[m] = undefined;
  };

  const flow = async (step: number) => {
    // A service that died on its own ends the run: the frames behind it would only be waited for.
    const died = stack.services.find((svc) => svc.lifetimes.some((l) => l.end && !l.end.expected));
    if (died) {
      problems.push(`${died.name} exited on its own at step ${step}: run stopped`);
      stuck = true;
      return;
    }
    if (brokerDown) return;
    for (const [m, feed] of feeds.entries()) {
      if (!(await until(() => feed.pendingSent <= o.window, 30_000))) {
        // The pipeline stopped taking this meter's frames (e.g. a forged reading moved its state ahead): every
        // further step would wait as long again, so the run ends here and is judged as it stands.
        problems.push(`meter ${m + 1}: ${feed.pendingSent} frames unconfirmed for 30 s at step ${step}: run stopped`);
        stuck = true;
        break;
      }
      const from = confirmFrom[m];
      if (from !== undefined && step >= from && feed.pendingSent === 0) {
        confirmFrom[m] = undefined;
        const c = counters[m];
        if (c && !(await c.confirm())) {
          problems.push(
            `meter ${m + 1}: ingest counters ${JSON.stringify(c.total())} ≠ injected ${JSON.stringify(c.expected)} at step ${step}`,
          );
          Object.assign(c.expected, c.total());
        }
      }
      if (ingestDown[m]) continue;
      const behind = feed.time[Math.max(0, step - 2 * o.window)] ?? 0;
      const ok = await until(() => (recorder.notifierDay.get(feed.meterId)?.lastReadingAt ?? 0) >= behind, 3000);
      if (!ok) pacingTimeouts++;
    }
  };

  const requestReport = async (day: number) => {
    const closedStart = midnights[day - 1] ?? 0;
    const next = midnights[day] ?? 0;
    await until(() => feeds.every((f) => (recorder.notifierDay.get(f.meterId)?.start ?? 0) >= next), 20_000);
    const tx = `soak-day-${day}`;
    reports.set(closedStart, false);
    for (let attempt = 0; attempt < 3 && !reports.get(closedStart); attempt++) {
      const cmd = {
        command: "report",
        period: "day",
        at: new Date(closedStart + 12 * 3_600_000).toISOString(),
        transaction: tx,
      };
      await recorder.publish("smarty/notifier/cmd", JSON.stringify(cmd));
      const answered = await until(
        () => recorder.responses.some((r) => (r as { transaction?: string }).transaction === tx),
        10_000,
      );
      reports.set(closedStart, answered);
    }
  };

  const stopAll = async () => {
    await recorder.stop();
    await stack.stop();
    for (const p of paths) await p.stop();
  };
  try {
    // The first frames go out while the ingests are still opening their sources: probes too.
    for (let m = 0; m < feeds.length; m++) {
      const id = faults.length + m;
      records[id] = { id, kind: "start", step: 0, meter: m, uncertain: 0, bound: 0, inFlight: 0 };
      probeAfter(m, id);
    }
    let fi = 0;
    for (let step = 0; step < steps; step++) {
      if (stuck) break;
      for (const fn of later.get(step) ?? []) await fn();
      later.delete(step);
      while (fi < faults.length && (faults[fi]?.step ?? Infinity) <= step) {
        await apply(faults[fi] as Fault, step, fi);
        fi++;
      }
      for (let m = 0; m < feeds.length; m++) {
        await emit(m, step);
        for (const fn of midFlight.get(m) ?? []) await fn();
        midFlight.delete(m);
      }
      for (const fn of midFlight.get(-1) ?? []) await fn();
      midFlight.delete(-1);
      if ((feeds[0]?.time[step] ?? 0) === dstStart(2026)) count("dst_change");
      await flow(step);
      const day = midnightSteps.indexOf(step);
      if (day > 0) await requestReport(day);
      if (o.verbose && step % 1440 === 0) log(`step ${step}/${steps} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    for (const fns of later.values()) for (const fn of fns) await fn();
    for (const feed of feeds) await until(() => feed.pendingSent === 0, stuck ? 1000 : 30_000);
    for (const c of counters) await c.fetch();
    if (pacingTimeouts > 0) log(`notifier pacing waited out ${pacingTimeouts} times`);
  } catch (err) {
    // Leave no service or daemon behind when the run itself breaks.
    await stopAll().catch(() => undefined);
    throw err;
  } finally {
    clearInterval(rss);
  }

  return {
    options: o,
    stack,
    feeds,
    counters,
    recorder,
    midnights,
    dstDay,
    faults,
    records,
    injected,
    reports,
    problems,
    faultLog,
    wallMs: Date.now() - t0,
    stop: stopAll,
  };
}
