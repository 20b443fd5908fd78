/**
 * State topics `<base>/<meter_id>/state/<key>`: one plain value per OBIS registry key, retained, for consumers that
 * want single values (Home Assistant, Node-RED, shell scripts with mosquitto_sub).
 *
 * Encoding of the payload (UTF-8 text, never JSON-quoted for scalars):
 * - number → shortest decimal form in the registry unit (`25.653`, `-63`, `0`); non-finite numbers are not published
 * - string → as is (`SAG1030700012701`, `2020-07-06T10:41:57+02:00`)
 * - array or object (multi-value lines such as `current_limit_a`, the power failure log) → compact JSON
 */
import { OBIS_REGISTRY, type Reading } from "@smarty/p1";

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

/** Every registry value present in the reading, in registry order, encoded for its state topic. */
export function stateValues(reading: Reading): StateValue[] {
  const out: StateValue[] = [];
  for (const def of OBIS_REGISTRY) {
    const value = encodeStateValue(reading[def.key]);
    if (value !== undefined) out.push({ key: def.key, value });
  }
  return out;
}
