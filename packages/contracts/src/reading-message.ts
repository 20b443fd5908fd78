/**
 * One way for every subscriber to read `<base>/<meter_id>/reading`: topic check, the empty retained message that
 * removes a meter (MQTT 3.1.1 §3.3.1.3), payload validation, and the meter id agreeing with its topic — a reading
 * published under another meter's topic would otherwise be counted for the wrong meter.
 */
import type { Reading } from "@smarty/p1";
import { decodePayload } from "./codec.js";
import { readingSchema } from "./payloads.js";
import { parseTopic, topicSegment } from "./topics.js";

export type ReadingMessage =
  | { readonly kind: "reading"; readonly meterId: string; readonly reading: Reading }
  | { readonly kind: "removed"; readonly meterId: string }
  | { readonly kind: "rejected"; readonly reason: "topic" | "too_large" | "json" | "schema"; readonly error: string };

/** Classifies a message received on a reading topic; never throws. */
export function decodeReadingMessage(base: string, topic: string, payload: Uint8Array): ReadingMessage {
  const parsed = parseTopic(base, topic);
  if (parsed?.type !== "reading") return { kind: "rejected", reason: "topic", error: "not a reading topic" };
  if (payload.length === 0) return { kind: "removed", meterId: parsed.meterId };
  const decoded = decodePayload(readingSchema, payload);
  if (!decoded.ok) return { kind: "rejected", reason: decoded.reason, error: decoded.error };
  const reading: Reading = decoded.value;
  if (topicSegment(reading.meter_id) !== parsed.meterId) {
    return {
      kind: "rejected",
      reason: "topic",
      error: `meter_id '${reading.meter_id.slice(0, 64)}' does not match the topic`,
    };
  }
  return { kind: "reading", meterId: parsed.meterId, reading };
}
