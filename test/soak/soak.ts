/** One soak from start to verdict: run, read the mails, judge, stop everything. */
import { checkSoak, type SoakResult, tallyMails } from "./check-soak.js";
import { expectedNotifications } from "./expected-alerts.js";
import type { SoakOptions } from "./options.js";
import { runSoak } from "./run-soak.js";
import { BOT_JID } from "./stack.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function soak(o: SoakOptions, log: (line: string) => void = () => undefined): Promise<SoakResult> {
  const run = await runSoak(o, log);
  try {
    // Let the outbox deliver what the last faults held back: wait until the mail and chat counts stop changing.
    const want = expectedNotifications(run.feeds, run.faults);
    const wantMails = run.reports.size * o.meters + [...want.email.values()].reduce((a, b) => a + b, 0);
    // Chat waits in the outbox with its own back-off after an XMPP outage: wait for it too, not only for the mails.
    const wantChat = [...want.chat.values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 60_000;
    let last = -1;
    while (Date.now() < deadline) {
      const n = run.stack.smtp.messages.length + run.stack.alice.messages.length;
      const chat = run.stack.alice.messagesFrom(BOT_JID).length;
      if (run.stack.smtp.messages.length >= wantMails && chat >= wantChat && n === last) break;
      last = n;
      await sleep(2000);
    }
    const mails = await tallyMails(run.stack.smtp, run.stack.gpg);
    const result = checkSoak(run, mails);
    if (process.env.SOAK_DEBUG) log(JSON.stringify({ other: mails.other.slice(0, 3) }));
    return result;
  } finally {
    await run.stop();
  }
}
