/** Ingest health payloads as `services/ingest` publishes them on `<base>/ingest/<instance>/health`. */
import type { IngestHealth, IngestState } from "@smarty/contracts";

export function ingestHealth(state: IngestState, hint?: string, instance = "main"): IngestHealth {
  return {
    instance,
    state,
    ...(hint ? { hint } : {}),
    source: "serial:///dev/ttyUSB0",
    started_at: "2026-04-03T15:00:00.000Z",
    updated_at: "2026-04-03T15:54:31.000Z",
    last_frame_at: null,
    frames_ok: 0,
    authentication_failures: state === "wrong_key" ? 12 : 0,
    crc_failures: 0,
    format_errors: 0,
    replays: 0,
    missed_frames: 0,
    meter_changes: 0,
    stale_readings: 0,
    bytes: 12_000,
    skipped_bytes: 0,
    reconnects: 0,
    queue_length: 0,
    dropped_readings: 0,
    meters: [],
  };
}
