/**
 * Counters and state that the ingest services publish about themselves (health topic, retained) and their
 * online/offline status (Last Will). The health JSON carries totals since the ingest started, so they are
 * exported as counters with their absolute value, like meter registers.
 */
import { type IngestHealth, ingestStateSchema } from "@smarty/contracts";
import { type FamilySpec, INGEST_FAMILIES } from "../catalogue.js";
import type { IngestStatus } from "../ingest-status.js";
import { type SampleSink, SnapshotMetric } from "../snapshot-metric.js";

/** `result` label values of smarty_ingest_frames_total and the health field each one reads. */
export const FRAME_RESULTS = [
  ["ok", "frames_ok"],
  ["authentication_failure", "authentication_failures"],
  ["crc_failure", "crc_failures"],
  ["format_error", "format_errors"],
  // Plaintext frames refused because a P1 key is configured (SMARTY_ALLOW_PLAINTEXT): a rejection reason like the
  // others, so one family holds every fate of a frame and alerts can `rate()` it by label.
  ["plaintext_rejected", "plaintext_rejected"],
] as const satisfies readonly (readonly [string, keyof IngestHealth])[];

function fromHealth(
  status: IngestStatus,
  family: FamilySpec,
  emit: (h: IngestHealth, instance: string, sink: SampleSink) => void,
): SnapshotMetric {
  return new SnapshotMetric(family, (sink) => {
    for (const i of status.list()) if (i.health) emit(i.health, i.instance, sink);
  });
}

function field(status: IngestStatus, family: FamilySpec, key: keyof IngestHealth): SnapshotMetric {
  return fromHealth(status, family, (h, instance, sink) => {
    const v = h[key];
    if (typeof v === "number") sink({ ingest_instance: instance }, v);
  });
}

function time(status: IngestStatus, family: FamilySpec, key: "started_at" | "last_frame_at"): SnapshotMetric {
  return fromHealth(status, family, (h, instance, sink) => {
    const ms = h[key] ? Date.parse(h[key]) : Number.NaN;
    if (!Number.isNaN(ms)) sink({ ingest_instance: instance }, ms / 1000);
  });
}

export function ingestMetrics(status: IngestStatus): SnapshotMetric[] {
  const f = INGEST_FAMILIES;
  return [
    fromHealth(status, f.frames, (h, instance, sink) => {
      // An older ingest's health lacks the newer results: zero, so every result series exists from the start.
      for (const [result, key] of FRAME_RESULTS) sink({ ingest_instance: instance, result }, h[key] ?? 0);
    }),
    field(status, f.replays, "replays"),
    field(status, f.missed, "missed_frames"),
    field(status, f.reconnects, "reconnects"),
    field(status, f.bytes, "bytes"),
    field(status, f.skippedBytes, "skipped_bytes"),
    field(status, f.droppedReadings, "dropped_readings"),
    field(status, f.staleReadings, "stale_readings"),
    // Zero for an older ingest without the field, so the series exists for alerts from the start.
    fromHealth(status, f.clockSuspectReadings, (h, instance, sink) =>
      sink({ ingest_instance: instance }, h.clock_suspect_readings ?? 0),
    ),
    field(status, f.meterChanges, "meter_changes"),
    field(status, f.queue, "queue_length"),
    fromHealth(status, f.state, (h, instance, sink) => {
      // One series per possible state (the "enum" pattern of writing_exporters.md), so a change is visible as 1 → 0.
      for (const state of ingestStateSchema.options)
        sink({ ingest_instance: instance, state }, h.state === state ? 1 : 0);
    }),
    time(status, f.startTime, "started_at"),
    time(status, f.lastFrame, "last_frame_at"),
    new SnapshotMetric(f.up, (sink) => {
      for (const i of status.list()) if (i.status) sink({ ingest_instance: i.instance }, i.status === "online" ? 1 : 0);
    }),
  ];
}
