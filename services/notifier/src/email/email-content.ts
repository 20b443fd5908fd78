/**
 * What a mail says, from an outbox payload: reports carry their text, HTML and attachments (chart, CSV); alerts and
 * chat messages become short text mails.
 */
import type { OutboxPayload } from "../ports.js";
import type { MailAttachment, MailContent } from "./pgp-mime.js";

const SEVERITY_WORD = { info: "Info", warning: "Warning", critical: "Critical" } as const;

export function mailContent(payload: OutboxPayload): MailContent {
  switch (payload.kind) {
    case "report":
      return {
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        attachments: (payload.attachments ?? []).map(
          (a): MailAttachment => ({
            filename: a.filename,
            contentType: a.content_type,
            content: Buffer.from(a.base64, "base64"),
            // Images are shown inside the HTML report; the HTML refers to them by file name.
            ...(a.content_type.startsWith("image/") ? { cid: a.filename } : {}),
          }),
        ),
      };
    case "alert": {
      const a = payload.alert;
      const state = a.state === "active" ? SEVERITY_WORD[a.severity] : "Back to normal";
      return { subject: `Smarty ${state.toLowerCase()}: ${a.rule}`, text: payload.text, attachments: [] };
    }
    case "chat":
      return { subject: "Smarty", text: payload.text, attachments: [] };
  }
}
