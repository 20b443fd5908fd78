/**
 * One way for every subscriber to read `<base>/<meter_id>/reading`: topic check, the empty retained message that
 * removes a meter (MQTT 3.1.1 §3.3.1.3), payload validation, and the meter id agreeing with its topic — a reading
 * published under another meter's topic would otherwise be counted for the wrong meter. The steps are those of the
 * topic map's `reading` entry (topic-map.ts).
 */
import type { Reading } from "@smarty/p1";
import { decodeTopicMessage, type RejectReason } from "./topic-map.js";

export type ReadingMessage =
  | { readonly kind: "reading"; readonly meterId: string; readonly reading: Reading }
  | { readonly kind: "removed"; readonly meterId: string }
  | { readonly kind: "rejected"; readonly reason: RejectReason; readonly error: string };

/** Classifies a message received on a reading topic; never throws. */
export function decodeReadingMessage(base: string, topic: string, payload: Uint8Array): ReadingMessage {
  const m = decodeTopicMessage(base, "reading", topic, payload);
  if (m.kind === "rejected") return m;
  if (m.kind === "cleared") return { kind: "removed", meterId: m.params.meterId };
  return { kind: "reading", meterId: m.params.meterId, reading: m.value };
}
