/**
 * Judges a finished soak: readings against frames, ingest counters against injected faults, statistics against the
 * simulator's truth, notifications against alert episodes, mails against report requests, memory and logs. Every
 * broken promise becomes one line in `failures`; `summary` is the table printed and kept in docs/reliability.md.
 */
import { expectedNotifications } from "./expected-alerts.js";
import { type MailTally, tallyChat, tallyMails } from "./mail-check.js";
import type { MeterFeed } from "./meter-feed.js";
import { FAULT_KINDS } from "./options.js";
import type { SoakRun } from "./run-soak.js";
import type { ServiceProcess } from "./service-process.js";
import { BOT_JID } from "./stack.js";

/** Tolerance of a day's energy: the meter shows whole Wh (3 decimals of kWh) at both ends of the day. */
export const ENERGY_TOLERANCE_KWH = 0.0021;
/** RSS may not grow more than this past the baseline taken after the first 30 % of a process's life. */
export const RSS_GROWTH_BOUND_MIB = 48;

export interface SoakResult {
  readonly failures: string[];
  readonly summary: string;
}

/** Register value at `t`, interpolated between the delivered frames around it (clamped at the first one). */
function registerAt(feed: MeterFeed, reg: Float64Array, delivered: number[], t: number): number {
  let lo = 0;
  let hi = delivered.length - 1;
  const time = (k: number) => feed.time[delivered[k] ?? 0] ?? 0;
  const value = (k: number) => reg[delivered[k] ?? 0] ?? 0;
  if (t <= time(0)) return value(0);
  if (t >= time(hi)) return value(hi);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (time(mid) <= t) lo = mid;
    else hi = mid;
  }
  const t0 = time(lo);
  const t1 = time(hi);
  return value(lo) + ((value(hi) - value(lo)) * (t - t0)) / (t1 - t0);
}

function checkDays(run: SoakRun, failures: string[]): number {
  let checked = 0;
  for (const feed of run.feeds) {
    const delivered = feed.deliveredIndices();
    const days = run.recorder.closedDays.get(feed.meterId);
    for (let d = 0; d + 1 < run.midnights.length; d++) {
      const a = run.midnights[d] ?? 0;
      const b = run.midnights[d + 1] ?? 0;
      const got = days?.get(a);
      const label = `${feed.meterId} day ${new Date(a + 7_200_000).toISOString().slice(0, 10)}`;
      if (!got) {
        failures.push(`${label}: no closed-day statistics published`);
        continue;
      }
      for (const [name, reg, value] of [
        ["import", feed.importKwh, got.importKwh],
        ["export", feed.exportKwh, got.exportKwh],
      ] as const) {
        const want = registerAt(feed, reg, delivered, b) - registerAt(feed, reg, delivered, a);
        if (value === null || Math.abs(value - want) > ENERGY_TOLERANCE_KWH) {
          failures.push(`${label}: ${name} ${value} kWh, truth ${want.toFixed(4)} kWh`);
        }
      }
      checked++;
    }
  }
  return checked;
}

function rssOf(s: ServiceProcess, failures: string[]): { maxMiB: number; growthMiB: number } {
  let maxMiB = 0;
  let growthMiB = 0;
  for (const life of s.lifetimes) {
    const kib = life.rss.map((r) => r.kib);
    maxMiB = Math.max(maxMiB, ...kib.map((k) => k / 1024));
    if (kib.length < 20) continue;
    const base = Math.max(...kib.slice(Math.floor(kib.length * 0.3), Math.floor(kib.length * 0.4)));
    const tail = Math.max(...kib.slice(Math.floor(kib.length * 0.75)));
    growthMiB = Math.max(growthMiB, (tail - base) / 1024);
  }
  if (growthMiB > RSS_GROWTH_BOUND_MIB) failures.push(`${s.name}: RSS grew ${growthMiB.toFixed(1)} MiB after warm-up`);
  return { maxMiB, growthMiB };
}

const CRASH = /unhandled rejection|uncaughtException|"level":60|^\s+at .*\(node:internal/im;

function checkLogs(s: ServiceProcess, failures: string[]): void {
  const out = s.output();
  const m = CRASH.exec(out);
  if (m) failures.push(`${s.name}: log shows "${m[0].trim()}"`);
  for (const life of s.lifetimes) {
    const e = life.end;
    if (e && !e.expected) failures.push(`${s.name} (pid ${life.pid}) exited on its own: code ${e.code} ${e.signal}`);
    if (e?.expected && e.signal === null && e.code !== 0) failures.push(`${s.name} stopped with exit code ${e.code}`);
  }
}

function compareCounts(what: string, want: Map<string, number>, got: Map<string, number>, failures: string[]): void {
  for (const k of new Set([...want.keys(), ...got.keys()])) {
    if ((want.get(k) ?? 0) !== (got.get(k) ?? 0)) {
      failures.push(`${what} ${k}: ${got.get(k) ?? 0} received, ${want.get(k) ?? 0} expected`);
    }
  }
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0;
};

export function checkSoak(run: SoakRun, mails: MailTally): SoakResult {
  const failures = [...run.problems];
  const t = run.feeds.map((f) => f.tally());
  let republishedTotal = 0;
  for (const [i, f] of run.feeds.entries()) {
    const x = t[i];
    if (!x) continue;
    if (x.losses > 0) failures.push(`${f.meterId}: ${x.losses} valid frames never became a reading`);
    // QoS 1 is at least once: a reading the broker took just before it was stopped, whose PUBACK the ingest never
    // got, is published again after the reconnect. Those are listed apart; any other second reading fails.
    const near = (at: number) => [...run.faultLog].reverse().find((l) => l.at <= at);
    const republished = f.duplicates.filter((d) => {
      const fault = near(d.at);
      return (fault?.kind === "broker_restart" || fault?.kind === "broker_kill") && d.at - fault.at < 20_000;
    });
    republishedTotal += republished.length;
    const other = f.duplicates.filter((d) => !republished.includes(d));
    if (other.length > 0) {
      const where = other.map((d) => `frame ${d.index} after ${near(d.at)?.kind ?? "start"}`);
      failures.push(`${f.meterId}: ${other.length} duplicate readings: ${where.slice(0, 6).join(", ")}`);
    }
    for (const u of f.unexpected.slice(0, 5)) failures.push(`${f.meterId}: ${u}`);
  }
  for (const [i, c] of run.counters.entries()) {
    const got = c.total();
    for (const k of [
      "authentication_failures",
      "crc_failures",
      "replays",
      "format_errors",
      "plaintext_rejected",
      "clock_suspect_readings",
    ] as const) {
      if (got[k] !== c.expected[k]) failures.push(`ingest-${i + 1} ${k}: ${got[k]}, injected ${c.expected[k]}`);
    }
    if (got.skipped_bytes < c.expected.skipped_bytes) {
      failures.push(`ingest-${i + 1} skipped_bytes ${got.skipped_bytes} < injected ${c.expected.skipped_bytes}`);
    }
  }
  if (run.recorder.readingsWithoutCounter > 0) {
    failures.push(`${run.recorder.readingsWithoutCounter} readings without a frame counter (plaintext) were published`);
  }
  const uncertain = accountUncertain(run, failures);
  const days = checkDays(run, failures);
  const want = expectedNotifications(run.feeds, run.faults);
  compareCounts("alert mail", want.email, mails.alerts, failures);
  const chat = tallyChat(run.stack.alice, BOT_JID);
  compareCounts("alert chat", want.chat, chat.counts, failures);
  for (const o of mails.other) failures.push(`unexpected mail: ${o.slice(0, 120)}`);
  for (const o of chat.other) failures.push(`unexpected chat message: ${o.slice(0, 120)}`);
  const wantReports = new Map<string, number>();
  for (const [start, answered] of run.reports) {
    if (!answered) failures.push(`report command for ${new Date(start).toISOString()} got no reply`);
    for (const f of run.feeds)
      wantReports.set(`${f.meterId}|${new Date(start + 7_200_000).toISOString().slice(0, 10)}`, 1);
  }
  compareCounts("report mail", wantReports, mails.reports, failures);
  if (mails.undecryptable > 0) failures.push(`${mails.undecryptable} mails did not decrypt with gpg`);
  const rss = run.stack.services.map((s) => ({ name: s.name, ...rssOf(s, failures) }));
  for (const s of run.stack.services) checkLogs(s, failures);

  const sum = (k: keyof (typeof t)[number]) => t.reduce((a, x) => a + (x[k] as number), 0);
  const latencies = run.feeds.flatMap((f) => f.latencies);
  const injected = ["dst_change", ...FAULT_KINDS].map((k) => `${k} ${run.injected.get(k as never) ?? 0}`).join(", ");
  const alertEpisodes = [...run.recorder.alerts.values()].reduce((a, l) => a + l.length, 0);
  const o = run.options;
  const rows = [
    [
      "run",
      `${o.days} simulated days × ${o.meters} meters (seed ${o.seed}, one frame per ${o.intervalMs / 1000} s of meter time), ${(run.wallMs / 1000).toFixed(0)} s wall`,
    ],
    ["frames produced", String(sum("sent") + sum("uncertain") + sum("lost") + sum("corrupt"))],
    ["valid frames delivered (must be one reading each)", `${sum("sent")} → ${sum("delivered")} readings`],
    [
      "frames in flight at a fault (at most one reading)",
      `${sum("uncertain")} → ${sum("uncertainDelivered")} readings, ${sum("uncertain") - sum("uncertainDelivered")} lost within their faults' bounds`,
    ],
    ["uncertain frames by fault kind (frames → delivered / lost, bound; in flight when struck)", uncertain],
    ["frames not sent (path down)", String(sum("lost"))],
    ["frames destroyed on purpose", String(sum("corrupt"))],
    ["losses / duplicates", `${sum("losses")} / ${sum("duplicates") - republishedTotal}`],
    ["QoS 1 second copies across a broker restart or kill (listed apart)", String(republishedTotal)],
    [
      "QoS 1 redeliveries to the observer after a broker restart (DUP flag, not counted)",
      String(run.feeds.reduce((a, f) => a + f.redeliveries, 0)),
    ],
    ["faults injected", injected],
    [
      "ingest counters (auth / crc / replays / skipped bytes / plaintext / clock suspect)",
      run.counters
        .map((c) => {
          const x = c.total();
          return `${x.authentication_failures}/${x.crc_failures}/${x.replays}/${x.skipped_bytes}/${x.plaintext_rejected}/${x.clock_suspect_readings}`;
        })
        .join(", "),
    ],
    ["days checked against the truth log", `${days} (±${ENERGY_TOLERANCE_KWH} kWh)`],
    [
      "alerts expected from faults and truth / episodes published / mails / chat messages",
      `${want.alerts.length} / ${alertEpisodes} / ${[...mails.alerts.values()].reduce((a, b) => a + b, 0)} / ${run.stack.alice.messagesFrom(BOT_JID).length}`,
    ],
    ["report mails (decrypted with gpg)", String([...mails.reports.values()].reduce((a, b) => a + b, 0))],
    [
      "max RSS MiB (growth after warm-up)",
      rss.map((r) => `${r.name} ${r.maxMiB.toFixed(0)} (+${r.growthMiB.toFixed(1)})`).join(", "),
    ],
    [
      "reading latency p99 (frame written → reading received)",
      `${p99(latencies).toFixed(1)} ms over ${latencies.length}`,
    ],
    ["result", failures.length === 0 ? "PASS" : `FAIL (${failures.length})`],
  ];
  const table = ["| measure | value |", "| --- | --- |", ...rows.map(([a, b]) => `| ${a} | ${b} |`)];
  const detail = uncertainDetail(run).map((l) => `- ${l}`);
  const summary = [
    ...table,
    "",
    "Uncertain frames by fault (frame index, ✓ became a reading, ✗ lost):",
    ...detail,
  ].join("\n");
  return { failures, summary };
}

/**
 * Every uncertain frame must name the fault that made it so; each fault may lose at most its bound (the frames in
 * flight when it struck, plus at most PROBE_FRAMES while its path came back). Returns the breakdown by kind.
 */
function accountUncertain(run: SoakRun, failures: string[]): string {
  const lost = new Map<number, number>();
  const delivered = new Map<number, number>();
  for (const feed of run.feeds) {
    for (const u of feed.uncertainFrames()) {
      const r = run.records[u.cause];
      if (!r) {
        failures.push(`${feed.meterId}: frame ${u.index} uncertain without a fault that explains it`);
        continue;
      }
      const into = u.delivered ? delivered : lost;
      into.set(r.id, (into.get(r.id) ?? 0) + 1);
    }
  }
  const byKind = new Map<
    string,
    { frames: number; delivered: number; lost: number; bound: number; inFlight: number }
  >();
  for (const r of run.records) {
    if (!r) continue;
    const l = lost.get(r.id) ?? 0;
    if (l > r.bound) {
      failures.push(`${r.kind} at step ${r.step} (meter ${r.meter + 1}): ${l} uncertain frames lost, bound ${r.bound}`);
    }
    if (r.uncertain === 0 && r.inFlight === 0) continue;
    const k = byKind.get(r.kind) ?? { frames: 0, delivered: 0, lost: 0, bound: 0, inFlight: 0 };
    k.inFlight += r.inFlight;
    byKind.set(r.kind, k);
    k.frames += r.uncertain;
    k.delivered += delivered.get(r.id) ?? 0;
    k.lost += l;
    k.bound += r.bound;
  }
  return (
    [...byKind.entries()]
      .map(([kind, k]) => `${kind} ${k.frames} → ${k.delivered} / ${k.lost} (≤ ${k.bound}; ${k.inFlight} in flight)`)
      .join(", ") || "none"
  );
}

/** One line per fault that made frames uncertain: what became of each of them. */
export function uncertainDetail(run: SoakRun): string[] {
  const lines: string[] = [];
  for (const r of run.records) {
    if (!r || (r.uncertain === 0 && r.inFlight === 0)) continue;
    const fate = run.feeds
      .flatMap((f, m) =>
        f
          .uncertainFrames()
          .filter((u) => u.cause === r.id)
          .map((u) => `${r.meter < 0 ? `m${m + 1}:` : ""}${u.index}${u.delivered ? "✓" : "✗"}`),
      )
      .join(" ");
    const where = `${r.kind} step ${r.step}${r.meter >= 0 ? ` meter ${r.meter + 1}` : ""}`;
    lines.push(`${where}, ${r.inFlight} in flight when it struck (may lose ${r.bound}): ${fate || "none uncertain"}`);
  }
  return lines;
}

export { tallyMails };
