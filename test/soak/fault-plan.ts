/**
 * The seeded schedule of faults: which step (frame index, the same for every meter) gets which fault on which
 * meter. Faults keep a distance from each other so each one's effect can be confirmed before the next; the SMTP
 * outage spans a midnight (a report waits in the outbox), the XMPP outage spans the key change (its alert waits).
 */
import { mixSeed, Prng } from "@smarty/simulator";
import { FAULT_KINDS, type FaultKind, type SoakOptions } from "./options.js";

export interface Fault {
  readonly step: number;
  readonly kind: FaultKind;
  /** Meter index for per-meter faults. */
  readonly meter: number;
}

const PER_METER: ReadonlySet<FaultKind> = new Set([
  "tcp_drop",
  "serial_unplug",
  "corrupt_bytes",
  "crc_corrupt",
  "junk_bytes",
  "truncated_frame",
  "replayed_frame",
  "key_change",
  "ingest_sigterm",
  "ingest_sigkill",
  "ingest_sigterm_inflight",
  "tcp_drop_inflight",
  "serial_unplug_inflight",
  "forged_frame",
  "clock_jump",
  "replay_after_restart",
]);

/** Steps a fault occupies (outages and the key change run over several frames). */
export const OUTAGE_STEPS = 12;
const SPACING = OUTAGE_STEPS + 8;

export function planFaults(o: SoakOptions, steps: number, midnightSteps: readonly number[]): Fault[] {
  const rng = new Prng(mixSeed(o.seed, 77));
  const serial = o.meters - 1;
  const taken: number[] = [];
  const free = (s: number) => taken.every((t) => Math.abs(t - s) >= SPACING);
  const warm = Math.max(30, Math.floor(steps * 0.05));
  const last = steps - 3 * SPACING;
  const pick = (): number => {
    for (let tries = 0; tries < 10_000; tries++) {
      const s = rng.int(warm, last);
      if (free(s) && midnightSteps.every((m) => Math.abs(m - s) > 3)) return s;
    }
    throw new Error("too many faults for this run length: use more --days or fewer faults");
  };
  const faults: Fault[] = [];
  const add = (step: number, kind: FaultKind, meter: number) => {
    taken.push(step);
    faults.push({ step, kind, meter });
  };
  const meterFor = (kind: FaultKind): number => {
    if (kind === "serial_unplug" || kind === "serial_unplug_inflight") return serial;
    // A forged telegram needs a socket to inject into: the TCP bridges.
    if (kind === "tcp_drop" || kind === "tcp_drop_inflight" || kind === "forged_frame") return rng.int(0, serial - 1);
    return rng.int(0, o.meters - 1);
  };
  for (const kind of FAULT_KINDS) {
    if (kind === "smtp_outage" || kind === "xmpp_outage") continue;
    for (let n = 0; n < o.faults[kind]; n++) add(pick(), kind, PER_METER.has(kind) ? meterFor(kind) : -1);
  }
  // Anchored outages: SMTP down across a midnight (its report is queued meanwhile), XMPP down over a key change.
  const inner = midnightSteps.slice(1);
  for (let n = 0; n < o.faults.smtp_outage && inner.length > 0; n++) {
    faults.push({ step: (inner[n % inner.length] ?? 0) - 4, kind: "smtp_outage", meter: -1 });
  }
  const keyChanges = faults.filter((f) => f.kind === "key_change");
  for (let n = 0; n < o.faults.xmpp_outage; n++) {
    const anchor = keyChanges[n]?.step ?? pick();
    faults.push({ step: anchor - 2, kind: "xmpp_outage", meter: -1 });
  }
  return faults.sort((a, b) => a.step - b.step);
}
