/**
 * The banners above the values: problems the reader (ingest) reports about the P1 port, a stale meter, a lost
 * connection to the display, and the meter's own long message. Problems come first, the message last.
 */
import { ago } from "./format.js";
import { LANG, t } from "./i18n.js";

/** ingest health `state`s with a banner (title `page.alert.<state>`, text `page.alert.<state>.text`; docs/display.md). */
const INGEST = new Set(["wrong_key", "no_frames", "no_data", "disconnected", "errors"]);

/** Banner list for the selected meter `m` (may be undefined) at server time `now`. */
export function alertsFor({ m, stale, now, ingest, online }) {
  const out = [];
  if (!online) out.push(["bad", t("page.alert.display_offline"), t("page.alert.display_offline.text")]);
  for (const i of ingest) {
    if (i.status === "offline") {
      out.push(["bad", t("page.alert.reader_offline"), t("page.alert.reader_offline.text", { instance: i.instance })]);
    } else if (INGEST.has(i.state)) {
      // The reader's own hint is more precise but English: other languages get the catalog's text.
      const text = LANG === "en" && i.hint ? i.hint : t(`page.alert.${i.state}.text`);
      out.push(["bad", t(`page.alert.${i.state}`), text]);
    }
  }
  if (m && stale) {
    const age = ago(now - Date.parse(m.received_at));
    out.push(["warn", t("page.alert.stale"), t("page.alert.stale.text", { ago: age })]);
  }
  for (const msg of m?.messages ?? []) out.push(["info", t("page.alert.meter_message"), msg]);
  return out;
}

export function renderAlerts(list) {
  const box = document.getElementById("alerts");
  const key = JSON.stringify(list);
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  box.replaceChildren(
    ...list.map(([level, title, text]) => {
      const div = document.createElement("div");
      div.className = `alert ${level}`;
      div.setAttribute("role", level === "info" ? "note" : "alert");
      const b = document.createElement("strong");
      b.textContent = title;
      const p = document.createElement("span");
      p.textContent = text;
      div.append(b, p);
      return div;
    }),
  );
}
