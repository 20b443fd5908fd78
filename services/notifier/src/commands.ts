/**
 * The MQTT command topic `<base>/notifier/cmd` (notifierCommandSchema): `report` sends the period's report so
 * far by email now, `mute`/`unmute` silence notifications for a time. Every command gets a reply on
 * `<base>/notifier/cmd/response` in the `{status, data, error?, transaction?}` envelope.
 */
import { type CommandResponse, decodePayload, notifierCommandSchema } from "@smarty/contracts";
import { isoLocal } from "./calendar.js";
import type { BotBackend } from "./ports.js";
import { MUTE_MAX_MS } from "./xmpp/commands.js";

/** Runs one command payload; never throws, bad input becomes an error reply. */
export async function runCommand(backend: BotBackend, payload: Buffer | string): Promise<CommandResponse> {
  const decoded = decodePayload(notifierCommandSchema, payload);
  if (!decoded.ok) {
    const transaction = transactionOf(payload);
    return { status: "error", error: `invalid command: ${decoded.error}`, ...(transaction ? { transaction } : {}) };
  }
  const cmd = decoded.value;
  const tx = cmd.transaction ? { transaction: cmd.transaction } : {};
  try {
    switch (cmd.command) {
      case "report": {
        const at = cmd.at === undefined ? undefined : Date.parse(cmd.at);
        return {
          status: "ok",
          data: { period: cmd.period, message: await backend.requestReport(cmd.period, at) },
          ...tx,
        };
      }
      case "mute": {
        // The chat's bound too: a forgotten (or forged) "mute for ever" would silence every alert for good.
        if (!(cmd.duration_s * 1000 <= MUTE_MAX_MS)) {
          return { status: "error", error: `duration_s: at most ${MUTE_MAX_MS / 1000} (30 days)`, ...tx };
        }
        backend.mute(cmd.duration_s * 1000);
        const until = backend.mutedUntil();
        return { status: "ok", data: { muted_until: until === null ? null : isoLocal(until) }, ...tx };
      }
      case "unmute":
        backend.unmute();
        return { status: "ok", data: { muted_until: null }, ...tx };
    }
  } catch (err) {
    return { status: "error", error: err instanceof Error ? err.message : String(err), ...tx };
  }
}

/** The transaction id of a command that failed validation, when it has one, so the reply can be matched. */
function transactionOf(payload: Buffer | string): string | undefined {
  try {
    const t = (JSON.parse(payload.toString()) as { transaction?: unknown }).transaction;
    return typeof t === "string" && t.length <= 128 ? t : undefined;
  } catch {
    return undefined;
  }
}
