/**
 * State-change rules: the electricity meter's breaker (0-0:96.3.10) and the M-Bus channels' breaker and valve
 * states (0-n:96.3.10, 0-n:24.4.0) changed; the grid operator sent a new or changed message (0-0:96.13.x,
 * decoded text). Compared with the persisted snapshot; a message seen for the first time is reported once.
 */
import { readingNumber, readingText } from "@smarty/p1";
import { MESSAGE_KEYS, type ReadingContext } from "./reading-context.js";
import { event, type Signal } from "./signals.js";

const BREAKER_WORDS: Readonly<Record<number, string>> = { 0: "open", 1: "closed", 2: "ready for reconnection" };
const VALVE_WORDS: Readonly<Record<number, string>> = { 0: "closed", 1: "open", 2: "released" };
const word = (words: Readonly<Record<number, string>>, v: number) => `${v} (${words[v] ?? "unknown"})`;

export function eventSignals(ctx: ReadingContext): Signal[] {
  const out: Signal[] = [];
  const { rules, reading, last } = ctx;
  if (rules.breaker_state.enabled && last) {
    const b = readingNumber(reading, "breaker_state");
    if (b !== undefined && last.breaker !== null && b !== last.breaker) {
      const msg = `Meter breaker changed from ${word(BREAKER_WORDS, last.breaker)} to ${word(BREAKER_WORDS, b)}`;
      out.push(event("breaker_state", "breaker_state", msg, b));
    }
  }
  for (const m of reading.mbus) {
    const ch = String(m.channel);
    const before = last?.mbus_breaker[ch];
    if (
      rules.breaker_state.enabled &&
      m.breaker_state !== undefined &&
      before !== undefined &&
      m.breaker_state !== before
    ) {
      const msg = `M-Bus channel ${ch} breaker changed from ${before} to ${m.breaker_state}`;
      out.push(event("breaker_state", `breaker_state_ch${ch}`, msg, m.breaker_state));
    }
    const valveBefore = last?.mbus_valve[ch];
    if (
      rules.valve_state.enabled &&
      m.valve_state !== undefined &&
      valveBefore !== undefined &&
      m.valve_state !== valveBefore
    ) {
      const msg = `${m.medium} valve (M-Bus ${ch}) changed from ${word(VALVE_WORDS, valveBefore)} to ${word(VALVE_WORDS, m.valve_state)}`;
      out.push(event("valve_state", `valve_state_ch${ch}`, msg, m.valve_state));
    }
  }
  if (rules.operator_message.enabled) {
    for (const key of MESSAGE_KEYS) {
      const text = readingText(reading, key)?.trim();
      if (text && text !== last?.messages[key]) {
        out.push(event("operator_message", `operator_message_${key}`, `Message from the grid operator: ${text}`));
      }
    }
  }
  return out;
}
