/**
 * The In Home Display page: one EventSource on /events (a snapshot, then one event per change) and a repaint once
 * a second so ages, staleness and the sparkline move with time. Times are the server's: every event carries
 * `server_time`, and the page keeps the offset to its own clock, so a tablet with a wrong clock still shows the
 * right ages.
 */
import { ago, clock as clockText, DASH, powerShort } from "./format.js";
import { LANG, t } from "./i18n.js";
import { renderEnergy, renderMbus, renderPhases, renderPower, renderSelector } from "./render.js";
import { drawSpark } from "./spark.js";
import { alertsFor, renderAlerts } from "./status.js";

const S = {
  meters: new Map(),
  history: new Map(),
  ingest: [],
  selected: null,
  offset: 0,
  staleAfter: 30_000,
  windowMs: 600_000,
  voltage: { nominal: 230, min: 207, max: 253 },
  online: false,
  loaded: false,
};
const MAX_HISTORY = 700;

const serverNow = () => Date.now() + S.offset;
const $ = (id) => document.getElementById(id);

function sync(serverTime) {
  const t = Date.parse(serverTime);
  if (!Number.isNaN(t)) S.offset = t - Date.now();
}

function selectedMeter() {
  const list = [...S.meters.values()].sort((a, b) => a.id.localeCompare(b.id));
  const wanted = new URLSearchParams(location.hash.slice(1)).get("meter");
  const m = S.meters.get(wanted ?? "") ?? S.meters.get(S.selected ?? "") ?? list[0];
  S.selected = m?.id ?? null;
  return { m, list };
}

function isStale(m, now) {
  return m.state === "stale" || now - Date.parse(m.received_at) >= S.staleAfter;
}

function paint() {
  const now = serverNow();
  const { m, list } = selectedMeter();
  const stale = m ? isStale(m, now) : false;
  const state = !S.loaded ? "connecting" : !S.online ? "offline" : !m ? "waiting" : stale ? "stale" : "live";
  document.body.dataset.state = state;
  const conn = $("conn");
  conn.dataset.state = state;
  $("conn-text").textContent = t(`page.conn.${state}`);
  renderAlerts(alertsFor({ m, stale, now, ingest: S.ingest, online: S.online || !S.loaded }));
  renderSelector(list, S.selected, (id) => {
    location.hash = `meter=${encodeURIComponent(id)}`;
  });
  $("waiting").hidden = Boolean(m) || !S.loaded;
  $("main").hidden = !m;
  if (!m) {
    $("footer").textContent = "";
    return;
  }
  renderPower(m);
  $("updated").textContent = t("page.updated", { ago: ago(now - Date.parse(m.received_at)) });
  renderPhases(m, S.voltage);
  renderEnergy(m);
  renderMbus(m);
  const range = drawSpark($("spark"), S.history.get(m.id) ?? [], now, S.windowMs);
  $("spark-top").textContent = range && range.top > 0 ? powerShort(range.top) : "";
  $("spark-bottom").textContent = range && range.bottom < 0 ? `↑ ${powerShort(range.bottom)}` : "";
  const at = m.reading_time ? ` · ${t("page.footer.clock", { time: clockText(m.reading_time) })}` : "";
  $("footer").textContent = `${t("page.footer.meter", { meter: m.meter_id })}${at} · smarty ${t("page.title")}`;
  document.title = `${$("power-value").textContent} ${$("power-unit").textContent} · smarty`.replace(DASH, "smarty");
}

function addSample(id, sample) {
  const h = S.history.get(id) ?? [];
  S.history.set(id, h);
  h.push(sample);
  const from = serverNow() - S.windowMs;
  while (h.length > 0 && (h[0][0] < from || h.length > MAX_HISTORY)) h.shift();
}

function on(es, name, handle) {
  es.addEventListener(name, (e) => {
    let data;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    if (data.server_time) sync(data.server_time);
    handle(data);
    paint();
  });
}

function connect() {
  const es = new EventSource("/events");
  es.addEventListener("open", () => {
    S.online = true;
    paint();
  });
  es.addEventListener("error", () => {
    S.online = false;
    paint();
    // The browser retries on its own unless the server refused the stream (e.g. 503 when full).
    if (es.readyState === EventSource.CLOSED) setTimeout(connect, 10_000);
  });
  on(es, "snapshot", (d) => {
    S.loaded = true;
    S.online = true;
    S.staleAfter = d.stale_after_ms;
    S.windowMs = d.window_ms;
    S.voltage = d.voltage;
    S.meters = new Map(d.meters.map(({ history, ...m }) => [m.id, m]));
    S.history = new Map(d.meters.map((m) => [m.id, m.history]));
    S.ingest = d.ingest;
  });
  on(es, "meter", (d) => {
    S.meters.set(d.meter.id, d.meter);
    if (d.sample) addSample(d.meter.id, d.sample);
  });
  on(es, "remove", (d) => {
    S.meters.delete(d.id);
    S.history.delete(d.id);
  });
  on(es, "ingest", (d) => {
    S.ingest = d.ingest;
  });
}

/** The fixed words of index.html in the page's language: `data-i18n` text, `data-i18n-label` aria-labels. */
function translatePage() {
  document.documentElement.lang = LANG;
  document.title = `smarty · ${t("page.title")}`;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-label]"))
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
}

translatePage();
addEventListener("hashchange", paint);
setInterval(paint, 1000);
connect();
paint();
