/**
 * Chat commands: parsing (case-insensitive, forgiving about spaces and a leading "/") and running them against
 * the core through the BotBackend. Each answer is short plain text; nothing here touches XMPP.
 */
import type { PeriodKind } from "@smarty/contracts";
import { formatDuration, parseDuration } from "@smarty/service-kit";
import type { BotBackend } from "../ports.js";
import {
  type AnswerContext,
  formatAlerts,
  formatNow,
  formatPeriod,
  formatStatus,
  type PeriodQuery,
} from "./answers.js";
import { formatWhen } from "./format.js";

export type Command =
  | { readonly name: "help" | "now" | "status" | "alerts" | "unmute" }
  | { readonly name: "period"; readonly period: PeriodQuery }
  | { readonly name: "mute"; readonly durationMs: number }
  | { readonly name: "report"; readonly period: PeriodKind }
  | { readonly name: "usage"; readonly text: string }
  | { readonly name: "unknown"; readonly word: string };

export const MUTE_MIN_MS = 60_000;
export const MUTE_MAX_MS = 30 * 86_400_000;

export const HELP = [
  "Commands:",
  "now - power, phases, voltage",
  "today, yesterday, week, month - energy, cost, peak",
  "status - meter, ingest, broker",
  "alerts - active alerts",
  "mute 2h / unmute - pause alerts",
  "report [day|week|month] - email report now",
].join("\n");

const MUTE_USAGE = "Usage: mute <duration>, e.g. mute 30m, mute 2h, mute 1d (at most 30d).";
const REPORT_USAGE = "Usage: report [day|week|month]";
const REPORT_PERIODS: Readonly<Record<string, PeriodKind>> = {
  day: "day",
  daily: "day",
  today: "day",
  week: "week",
  weekly: "week",
  month: "month",
  monthly: "month",
};

/** Parses one chat message into a command. Extra words after argument-less commands are ignored. */
export function parseCommand(text: string): Command {
  const words = text.trim().replace(/^\//, "").toLowerCase().split(/\s+/).filter(Boolean);
  const [word = "", arg] = words;
  switch (word) {
    case "help":
    case "?":
      return { name: "help" };
    case "now":
    case "status":
    case "alerts":
    case "unmute":
      return { name: word };
    case "today":
    case "yesterday":
    case "week":
    case "month":
      return { name: "period", period: word };
    case "mute": {
      if (arg === undefined) return { name: "usage", text: MUTE_USAGE };
      // A bare number in a chat means minutes, not parseDuration's seconds.
      const ms = /^\d+$/.test(arg) ? Number(arg) * 60_000 : parseDuration(arg.replace(/min$/, "m"));
      if (ms === undefined || ms < MUTE_MIN_MS || ms > MUTE_MAX_MS) return { name: "usage", text: MUTE_USAGE };
      return { name: "mute", durationMs: ms };
    }
    case "report": {
      const period = arg === undefined ? "day" : REPORT_PERIODS[arg];
      return period ? { name: "report", period } : { name: "usage", text: REPORT_USAGE };
    }
    default:
      return { name: "unknown", word };
  }
}

/** Longest error text quoted back to the user; the log has the rest. */
const MAX_ERROR_CHARS = 160;

/** Runs a command; never throws (a failing report becomes a short answer). */
export async function runCommand(command: Command, backend: BotBackend, ctx: AnswerContext): Promise<string> {
  switch (command.name) {
    case "help":
      return HELP;
    case "usage":
      return command.text;
    case "unknown":
      return command.word === "" ? HELP : `Unknown command "${command.word}". Send help for the list.`;
    case "now": {
      const meters = backend.meters();
      if (meters.length === 0) return "No reading yet: is the meter connected?";
      return meters
        .map((id) => {
          const r = backend.latest(id);
          if (!r) return `Meter ${id}: no reading yet`;
          const text = formatNow(r, backend.latestReceivedAt(id), ctx);
          return meters.length > 1 ? `Meter ${id}\n${text}` : text;
        })
        .join("\n\n");
    }
    case "period": {
      const meters = backend.meters();
      if (meters.length <= 1) return formatPeriod(command.period, backend.statistics(meters[0]), ctx);
      return meters
        .map((id) => `Meter ${id}\n${formatPeriod(command.period, backend.statistics(id), ctx)}`)
        .join("\n\n");
    }
    case "status":
      return formatStatus(
        {
          meters: backend.meters().map((id) => ({ id, receivedAt: backend.latestReceivedAt(id) })),
          ingest: backend.ingestHealth(),
          brokerConnected: backend.brokerConnected(),
          activeAlerts: backend.activeAlerts().filter((a) => a.state === "active").length,
          mutedUntil: backend.mutedUntil(),
        },
        ctx,
      );
    case "alerts":
      return formatAlerts(backend.activeAlerts(), backend.mutedUntil(), ctx);
    case "mute":
      backend.mute(command.durationMs);
      return `Alerts muted for ${formatDuration(command.durationMs)}, until ${formatWhen(
        ctx.now + command.durationMs,
        ctx.now,
        ctx.timeZone,
      )}.`;
    case "unmute": {
      const until = backend.mutedUntil();
      backend.unmute();
      return until !== null && until > ctx.now ? "Alerts unmuted." : "Alerts were not muted.";
    }
    case "report":
      try {
        return await backend.requestReport(command.period);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return `Could not send the ${command.period} report: ${reason.slice(0, MAX_ERROR_CHARS)}`;
      }
  }
}
