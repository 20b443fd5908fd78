/**
 * What rule evaluators report to the alert engine. A *level* signal says whether a condition holds now (with the
 * hysteresis already applied by the evaluator, which knows whether the alert is active); the engine adds the
 * "for a duration" delay. An *event* signal says something happened (a counter rose, a state changed); the engine
 * keeps the alert active until `clear_after` passes without another event.
 */
import { formatNumber, type Language } from "@smarty/i18n";
import type { RuleName } from "../config-file.js";

export interface Signal {
  /** Alert id, unique per meter (e.g. `voltage_sag_l1`). */
  readonly id: string;
  readonly rule: RuleName;
  readonly kind: "level" | "event";
  /** Level signals only: does the condition hold now? */
  readonly condition?: boolean;
  /** Text while active (a short sentence for a phone screen). */
  readonly message: string;
  /** Text when it clears; a generic one when absent. */
  readonly clearMessage?: string;
  readonly value?: number | null;
}

/** Level signal helper. */
export function level(
  rule: RuleName,
  id: string,
  condition: boolean,
  message: string,
  value: number | null = null,
  clearMessage?: string,
): Signal {
  return { id, rule, kind: "level", condition, message, value, ...(clearMessage ? { clearMessage } : {}) };
}

/** Event signal helper. */
export function event(rule: RuleName, id: string, message: string, value: number | null = null): Signal {
  return { id, rule, kind: "event", message, value };
}

export const PHASE_NAMES = ["L1", "L2", "L3"] as const;

/** `1.234` → `"1.23"` (`"1,23"` in lb/fr/de); numbers in messages are short. */
export const fmt = (x: number, digits = 2, lang: Language = "en") => formatNumber(lang, x, digits);
