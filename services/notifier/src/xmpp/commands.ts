/**
 * Chat commands: parsing (case-insensitive, forgiving about spaces and a leading "/") and running them against
 * the core through the BotBackend. Each answer is short plain text; nothing here touches XMPP.
 */
import type { PeriodKind } from "@smarty/contracts";
import { type MessageKey, t } from "@smarty/i18n";
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

/** The command list in English; `runCommand` answers `help` in the household's language. */
export const HELP = t("en", "bot.help");

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

/** The usage texts parseCommand returns, as said in the household's language. */
const USAGE_KEYS: ReadonlyMap<string, MessageKey> = new Map([
  [MUTE_USAGE, "bot.usage.mute"],
  [REPORT_USAGE, "bot.usage.report"],
]);

/** Runs a command; never throws (a failing report becomes a short answer). Words in `ctx.language`. */
export async function runCommand(command: Command, backend: BotBackend, ctx: AnswerContext): Promise<string> {
  const lang = ctx.language ?? "en";
  // Command words stay English in every language (help lists them), so one phone works for every household.
  const help = t(lang, "bot.help");
  switch (command.name) {
    case "help":
      return help;
    case "usage": {
      const key = USAGE_KEYS.get(command.text);
      return key ? t(lang, key) : command.text;
    }
    case "unknown":
      return command.word === "" ? help : t(lang, "bot.unknown", { word: command.word });
    case "now": {
      const meters = backend.meters();
      if (meters.length === 0) return t(lang, "bot.now.no_meter");
      return meters
        .map((id) => {
          const r = backend.latest(id);
          if (!r) return t(lang, "bot.status.meter_no_reading", { id });
          const text = formatNow(r, backend.latestReceivedAt(id), ctx);
          return meters.length > 1 ? `${t(lang, "bot.meter", { id })}\n${text}` : text;
        })
        .join("\n\n");
    }
    case "period": {
      const meters = backend.meters();
      if (meters.length <= 1) return formatPeriod(command.period, backend.statistics(meters[0]), ctx);
      return meters
        .map((id) => `${t(lang, "bot.meter", { id })}\n${formatPeriod(command.period, backend.statistics(id), ctx)}`)
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
      return t(lang, "bot.muted", {
        duration: formatDuration(command.durationMs),
        when: formatWhen(ctx.now + command.durationMs, ctx.now, ctx.timeZone, lang),
      });
    case "unmute": {
      const until = backend.mutedUntil();
      backend.unmute();
      return t(lang, until !== null && until > ctx.now ? "bot.unmuted" : "bot.not_muted");
    }
    case "report":
      try {
        return await backend.requestReport(command.period);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        const period = t(lang, `common.period.${command.period}`);
        return t(lang, "bot.report.failed", { period, reason: reason.slice(0, MAX_ERROR_CHARS) });
      }
  }
}
