/**
 * Number and time formatting in the page's language (i18n.js, built from @smarty/i18n): "2,35 kW" in lb/fr/de,
 * "2.35 kW" in en, 24-hour clock everywhere. Every function returns "—" for a missing value, so the page never
 * shows "NaN" or "null".
 */
import { formatClock, formatMoney, formatNumber, LANG, t } from "./i18n.js";

export const DASH = "—";

const known = (v) => typeof v === "number" && Number.isFinite(v);

/** A number with exactly `digits` decimals. */
export function num(v, digits = 0) {
  return known(v) ? formatNumber(LANG, v, digits) : DASH;
}

/** Up to `digits` decimals, trailing zeros dropped: "2,5", "12". */
function short(v, digits) {
  const s = num(v, digits);
  return digits > 0 ? s.replace(/[.,]?0+$/, "") : s;
}

/** Power as [value, unit]: watts below 1 kW, kilowatts with two decimals above. */
export function power(w) {
  if (!known(w)) return [DASH, ""];
  const a = Math.abs(w);
  return a < 1000 ? [num(a, 0), "W"] : [num(a / 1000, 2), "kW"];
}

/** Power as one string, e.g. "2,35 kW" or "870 W". */
export function powerText(w) {
  const [v, u] = power(w);
  return u ? `${v} ${u}` : v;
}

/** A round power for limits and axis labels: "12 kW", "2,5 kW", "800 W". */
export function powerShort(w) {
  if (!known(w)) return DASH;
  const a = Math.abs(w);
  return a < 1000 ? `${num(a, 0)} W` : `${short(a / 1000, 2)} kW`;
}

/** Energy in kWh, fewer decimals as it grows. */
export function kwh(v) {
  if (!known(v)) return DASH;
  return `${num(v, Math.abs(v) < 100 ? 2 : 1)} kWh`;
}

export function money(v, currency) {
  return known(v) ? formatMoney(LANG, v, currency || "EUR") : DASH;
}

/** Units as the meter writes them, made readable. */
export function unit(u) {
  return u === "m3" ? "m³" : u || "";
}

/** "just now", "12 s ago", "3 min ago", "2 h ago" in the page's language. */
export function ago(ms) {
  if (!known(ms)) return DASH;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 2) return t("page.ago.now");
  if (s < 90) return t("page.ago.s", { n: s });
  if (s < 90 * 60) return t("page.ago.min", { n: Math.round(s / 60) });
  return t("page.ago.h", { n: Math.round(s / 3600) });
}

/** Local clock time of an ISO string, 24-hour: "17:45". */
export function clock(iso) {
  const t = Date.parse(iso ?? "");
  if (Number.isNaN(t)) return DASH;
  const d = new Date(t);
  return formatClock(d.getHours(), d.getMinutes());
}
