/**
 * Validation at the subscriber edge: size limit first, then JSON, then the zod schema. Returns a result instead
 * of throwing, so an MQTT handler can count and log a bad message and carry on.
 */
import type { z } from "zod";
import { MAX_PAYLOAD_BYTES } from "./payloads.js";

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: "too_large" | "json" | "schema"; readonly error: string };

/** Decodes a JSON payload against a schema. */
export function decodePayload<S extends z.ZodType>(
  schema: S,
  payload: Uint8Array | string,
  maxBytes = MAX_PAYLOAD_BYTES,
): DecodeResult<z.infer<S>> {
  const size = typeof payload === "string" ? Buffer.byteLength(payload) : payload.byteLength;
  if (size > maxBytes) return { ok: false, reason: "too_large", error: `payload of ${size} bytes exceeds ${maxBytes}` };
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8"));
  } catch (err) {
    return { ok: false, reason: "json", error: err instanceof Error ? err.message : String(err) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      reason: "schema",
      error: first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "invalid",
    };
  }
  return { ok: true, value: parsed.data };
}

/** Decodes a plain-text payload against a schema (status topics). */
export function decodeText<S extends z.ZodType>(schema: S, payload: Uint8Array | string): DecodeResult<z.infer<S>> {
  const text = typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8");
  const parsed = schema.safeParse(text.trim());
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: "schema", error: `unexpected '${text.slice(0, 32)}'` };
}

/** Serialises a payload for publishing. */
export function encodePayload(value: unknown): string {
  return JSON.stringify(value);
}
