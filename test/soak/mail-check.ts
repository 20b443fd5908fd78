/**
 * What arrived by mail and chat, read as the household reads it: every mail is PGP/MIME, decrypted by GnuPG with
 * the household's key, then parsed again; reports and alerts are told apart by their inner text.
 */
import type { Gpg, SmtpSink } from "@smarty/testkit";
import type { XmppUser } from "@smarty/testkit/xmpp-user";
import { simpleParser } from "mailparser";

export interface MailTally {
  /** `meter|YYYY-MM-DD` → number of day-report mails. */
  readonly reports: Map<string, number>;
  /** `meter|alert id|active|cleared` → number of alert mails. */
  readonly alerts: Map<string, number>;
  readonly undecryptable: number;
  readonly other: string[];
}

const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

export async function tallyMails(smtp: SmtpSink, gpg: Gpg): Promise<MailTally> {
  const reports = new Map<string, number>();
  const alerts = new Map<string, number>();
  const other: string[] = [];
  let undecryptable = 0;
  for (const mail of smtp.messages) {
    const outer = await simpleParser(mail.raw);
    const part = outer.attachments.find((a) => a.contentType === "application/octet-stream");
    let text: string;
    try {
      if (!part) throw new Error("not PGP/MIME");
      const inner = await simpleParser((await gpg.decrypt(part.content)).plaintext);
      text = `${inner.text ?? ""}`;
    } catch {
      undecryptable++;
      continue;
    }
    const report = /day report (\d{4}-\d{2}-\d{2})/i.exec(text);
    const meter = /\b(SAG\d+)\b/.exec(text)?.[1] ?? "?";
    if (report) {
      inc(reports, `${meter}|${report[1]}`);
      continue;
    }
    const alert = /^(\S+) · (\S+) · (since|at) /m.exec(text);
    if (alert) {
      inc(alerts, `${alert[1]}|${alert[2]}|${alert[3] === "since" ? "active" : "cleared"}`);
      continue;
    }
    other.push(text.slice(0, 200));
  }
  return { reports, alerts, undecryptable, other };
}

/**
 * Chat alerts by their visible text: `[severity] message` or `[cleared] message`; the running count in the
 * ingest_auth text is replaced by N. Anything else the bot sent is returned in `other`.
 */
export function tallyChat(alice: XmppUser, botJid: string): { counts: Map<string, number>; other: string[] } {
  const counts = new Map<string, number>();
  const other: string[] = [];
  for (const m of alice.messagesFrom(botJid)) {
    const body = (m.getChildText("body") ?? "").replace(/\(\d+ so far\)/, "(N so far)");
    const active = /^\[(info|warning|critical)\] (.*) \(since [^)]*\)$/s.exec(body);
    if (active) inc(counts, `${active[1]}|${active[2]}`);
    else if (body.startsWith("[cleared] ")) inc(counts, `cleared|${body.slice(10)}`);
    else other.push(body.slice(0, 200));
  }
  return { counts, other };
}
