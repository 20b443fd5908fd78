/**
 * The banners above the values: problems the reader (ingest) reports about the P1 port, a stale meter, a lost
 * connection to the display, and the meter's own long message. Problems come first, the message last.
 */
import { ago } from "./format.js";

/** ingest health `state` → title and what to check (docs/display.md lists them). */
const INGEST = {
  wrong_key: [
    "Wrong P1 key",
    "Frames arrive from the meter but cannot be decrypted. Check SMARTY_KEY (the key from Creos).",
  ],
  no_frames: [
    "Cable problem",
    "Bytes arrive but no frame starts: check the cable (inverted signal) and the serial settings.",
  ],
  no_data: [
    "No data from the meter",
    "Nothing arrives on the P1 port. Check the cable and that the P1 port is enabled.",
  ],
  disconnected: ["Reader disconnected", "The reader lost its serial port or network source and is reconnecting."],
  errors: ["Damaged frames", "Frames arrive but fail their checks (CRC or format). Check the cable and its length."],
};

/** Banner list for the selected meter `m` (may be undefined) at server time `now`. */
export function alertsFor({ m, stale, now, ingest, online }) {
  const out = [];
  if (!online) out.push(["bad", "Display offline", "The connection to the display service is lost; reconnecting…"]);
  for (const i of ingest) {
    const known = INGEST[i.state];
    if (i.status === "offline") {
      out.push(["bad", "Reader offline", `The ingest service (${i.instance}) is not running, so no readings arrive.`]);
    } else if (known) {
      out.push(["bad", known[0], i.hint || known[1]]);
    }
  }
  if (m && stale) {
    const age = ago(now - Date.parse(m.received_at));
    out.push(["warn", "No new reading", `The last reading arrived ${age}; the values below are not live.`]);
  }
  for (const msg of m?.messages ?? []) out.push(["info", "Message from the meter", msg]);
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
