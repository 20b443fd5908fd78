/**
 * State topics `<base>/<meter_id>/state/<key>`: one plain value per OBIS registry key, retained, for consumers that
 * want single values (Home Assistant, Node-RED, shell scripts with mosquitto_sub).
 *
 * Encoding of the payload (UTF-8 text, never JSON-quoted for scalars):
 * - number → shortest decimal form in the registry unit (`25.653`, `-63`, `0`); non-finite numbers are not published
 * - string → as is (`SAG1030700012701`, `2020-07-06T10:41:57+02:00`)
 * - array or object (multi-value lines such as `current_limit_a`, the power failure log) → compact JSON
 *
 * Besides the registry keys: each M-Bus channel n that the meter reports gives `mbus<n>_value` (the last index, in
 * the unit of the reading's `mbus[].unit`), `mbus<n>_time`, `mbus<n>_valve_state`, `mbus<n>_breaker_state`,
 * `mbus<n>_equipment_id` and `mbus<n>_device_type`, for the fields it sends; encrypted frames give `frame_counter`.
 */
import { OBIS_REGISTRY, type Reading } from "@smarty/p1";
import { mbusStateKey } from "./home-assistant-entities.js";

export interface StateValue {
  /** Registry key, the topic leaf. */
  readonly key: string;
  /** The encoded payload. */
  readonly value: string;
}

/** Encodes one named value of a reading; undefined when there is nothing to publish. */
export function encodeStateValue(value: unknown): string | undefined {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? String(value) : undefined;
    case "string":
      return value;
    case "boolean":
      return value ? "true" : "false";
    case "object":
      return value === null ? undefined : JSON.stringify(value);
    default:
      return undefined;
  }
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

/** Decodes a state payload back: numbers become numbers, JSON arrays/objects are parsed, text stays text. */
export function decodeStateValue(payload: Uint8Array | string): unknown {
  const text = typeof payload === "string" ? payload : Buffer.from(payload).toString("utf8");
  if (NUMBER.test(text)) return Number(text);
  if (text.startsWith("[") || text.startsWith("{")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const MBUS_FIELDS = ["value", "time", "valve_state", "breaker_state", "equipment_id", "device_type"] as const;

/**
 * Every registry value present in the reading, in registry order, then the fields of each M-Bus channel and the
 * frame counter, encoded for their state topics.
 */
export function stateValues(reading: Reading): StateValue[] {
  const out: StateValue[] = [];
  const add = (key: string, v: unknown) => {
    const value = encodeStateValue(v);
    if (value !== undefined) out.push({ key, value });
  };
  for (const def of OBIS_REGISTRY) add(def.key, reading[def.key]);
  for (const m of reading.mbus) for (const f of MBUS_FIELDS) add(mbusStateKey(m.channel, f), m[f]);
  if (reading.frame) add("frame_counter", reading.frame.frame_counter);
  return out;
}
