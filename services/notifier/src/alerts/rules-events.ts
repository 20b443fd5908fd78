/**
 * State-change rules: the electricity meter's breaker (0-0:96.3.10) and the M-Bus channels' breaker and valve
 * states (0-n:96.3.10, 0-n:24.4.0) changed; the grid operator sent a new or changed message (0-0:96.13.x,
 * decoded text). Compared with the persisted snapshot; a message seen for the first time is reported once.
 */
import { type Language, type MessageKey, t } from "@smarty/i18n";
import { readingNumber, readingText } from "@smarty/p1";
import { MESSAGE_KEYS, type ReadingContext } from "./reading-context.js";
import { event, type Signal } from "./signals.js";

/** A state with its meaning: `0 (open)`; 0–2 are the states DSMR 5.0.2 §6.12 defines for breakers and valves. */
function word(lang: Language, kind: "breaker" | "valve", v: number): string {
  const known = v === 0 || v === 1 || v === 2;
  return `${v} (${t(lang, known ? (`alert.${kind}.${v}` as MessageKey) : "alert.state.unknown")})`;
}

const MEDIA = new Set(["gas", "water", "heat", "warm_water", "cooling"]);

export function eventSignals(ctx: ReadingContext): Signal[] {
  const out: Signal[] = [];
  const { rules, reading, last } = ctx;
  const lang = ctx.language ?? "en";
  if (rules.breaker_state.enabled && last) {
    const b = readingNumber(reading, "breaker_state");
    if (b !== undefined && last.breaker !== null && b !== last.breaker) {
      const msg = t(lang, "alert.breaker", {
        before: word(lang, "breaker", last.breaker),
        after: word(lang, "breaker", b),
      });
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
      const msg = t(lang, "alert.mbus_breaker", { ch, before, after: m.breaker_state });
      out.push(event("breaker_state", `breaker_state_ch${ch}`, msg, m.breaker_state));
    }
    const valveBefore = last?.mbus_valve[ch];
    if (
      rules.valve_state.enabled &&
      m.valve_state !== undefined &&
      valveBefore !== undefined &&
      m.valve_state !== valveBefore
    ) {
      // English keeps the meter's own medium word ("gas valve"); the other languages name it.
      const medium =
        lang !== "en" && MEDIA.has(m.medium)
          ? t(lang, `common.medium.${m.medium}` as MessageKey).toLowerCase()
          : m.medium;
      const msg = t(lang, "alert.valve", {
        medium,
        ch,
        before: word(lang, "valve", valveBefore),
        after: word(lang, "valve", m.valve_state),
      });
      out.push(event("valve_state", `valve_state_ch${ch}`, msg, m.valve_state));
    }
  }
  if (rules.operator_message.enabled) {
    for (const key of MESSAGE_KEYS) {
      const text = readingText(reading, key)?.trim();
      if (text && text !== last?.messages[key]) {
        out.push(event("operator_message", `operator_message_${key}`, t(lang, "alert.operator_message", { text })));
      }
    }
  }
  return out;
}
