/**
 * Number and time formatting in the browser's locale (a tablet set to French shows "2,35 kW").
 * Every function returns "—" for a missing value, so the page never shows "NaN" or "null".
 */

export const DASH = "—";

const cache = new Map();
function nf(min, max) {
  const key = `${min}/${max}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { minimumFractionDigits: min, maximumFractionDigits: max });
    cache.set(key, f);
  }
  return f;
}

const known = (v) => typeof v === "number" && Number.isFinite(v);

/** A number with exactly `digits` decimals. */
export function num(v, digits = 0) {
  return known(v) ? nf(digits, digits).format(v) : DASH;
}

/** Power as [value, unit]: watts below 1 kW, kilowatts with two decimals above. */
export function power(w) {
  if (!known(w)) return [DASH, ""];
  const a = Math.abs(w);
  return a < 1000 ? [num(a, 0), "W"] : [num(a / 1000, 2), "kW"];
}

/** Power as one string, e.g. "2.35 kW" or "870 W". */
export function powerText(w) {
  const [v, u] = power(w);
  return u ? `${v} ${u}` : v;
}

/** A round power for limits and axis labels: "12 kW", "2.5 kW", "800 W". */
export function powerShort(w) {
  if (!known(w)) return DASH;
  const a = Math.abs(w);
  return a < 1000 ? `${nf(0, 0).format(a)} W` : `${nf(0, 2).format(a / 1000)} kW`;
}

/** Energy in kWh, fewer decimals as it grows. */
export function kwh(v) {
  if (!known(v)) return DASH;
  return `${num(v, Math.abs(v) < 100 ? 2 : 1)} kWh`;
}

export function money(v, currency) {
  if (!known(v)) return DASH;
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency || "EUR" }).format(v);
  } catch {
    return `${num(v, 2)} ${currency}`;
  }
}

/** Units as the meter writes them, made readable. */
export function unit(u) {
  return u === "m3" ? "m³" : u || "";
}

/** "just now", "12 s ago", "3 min ago", "2 h ago". */
export function ago(ms) {
  if (!known(ms)) return DASH;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 2) return "just now";
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Local clock time of an ISO string, e.g. "17:45". */
export function clock(iso) {
  const t = Date.parse(iso ?? "");
  if (Number.isNaN(t)) return DASH;
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}
