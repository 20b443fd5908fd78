/**
 * Writes one meter's view (the JSON of /api/meters/:id/now) into the page. Text goes in through textContent only,
 * so nothing a meter or the broker sends can become markup; sizes go through the CSSOM, which the page's
 * Content-Security-Policy allows (inline style attributes are not).
 */
import { clock, DASH, kwh, money, num, power, powerShort, powerText, unit } from "./format.js";
import { t } from "./i18n.js";

const $ = (id) => document.getElementById(id);

function setText(id, text) {
  const el = typeof id === "string" ? $(id) : id;
  if (el.textContent !== text) el.textContent = text;
}

/** Sets a bar's fill to `value / limit` and its level class (warn from 80 %, over at 100 %). */
function bar(fill, value, limit, exporting) {
  const f = limit > 0 && Number.isFinite(value) ? Math.min(1, Math.abs(value) / limit) : 0;
  fill.style.width = `${(f * 100).toFixed(1)}%`;
  const ratio = limit > 0 ? Math.abs(value) / limit : 0;
  fill.className = `fill${exporting ? " exp" : ratio >= 1 ? " over" : ratio >= 0.8 ? " warn" : ""}`;
}

export function renderPower(m) {
  const net = m.power.net_w;
  const [v, u] = power(net);
  setText("power-value", v);
  setText("power-unit", u);
  const dir = $("power-dir");
  const exporting = net < 0;
  setText(
    dir,
    net > 0 ? t("page.power.from_grid") : exporting ? t("page.power.to_grid") : net === 0 ? t("page.power.none") : DASH,
  );
  dir.className = `dir${net > 0 ? " imp" : exporting ? " exp" : ""}`;
  document.body.dataset.flow = exporting ? "export" : "import";
  const limit = m.power.limit_w;
  bar($("power-bar"), net, limit, exporting);
  if (limit) {
    const pct = num((Math.abs(net ?? 0) / limit) * 100, 0);
    const text =
      m.power.limit_source === "power_class"
        ? t("page.power.of_class", { pct, limit: powerShort(limit) })
        : t("page.power.of_smax", { pct, limit: num(limit / 1000, 1) });
    setText("power-limit", text);
  } else {
    setText("power-limit", t("page.power.no_limit"));
  }
}

export function renderPhases(m, band) {
  const rows = $("phase-rows");
  const tpl = $("phase-row");
  // One row = four grid children; rebuild only when the number of phases changes.
  if (rows.children.length !== m.phases.length * 4) {
    rows.replaceChildren();
    for (let i = 0; i < m.phases.length; i++) rows.append(tpl.content.cloneNode(true));
  }
  setText("lim-power", m.phase_power_limit_w ? t("page.phases.max", { value: powerShort(m.phase_power_limit_w) }) : "");
  setText("lim-current", m.current_limit_a ? t("page.phases.max", { value: `${num(m.current_limit_a, 0)} A` }) : "");
  setText("lim-voltage", `${band.min}–${band.max} V`);
  const span = band.max + 7 - (band.min - 7);
  m.phases.forEach((p, i) => {
    const [label, pw, cur, volt] = [...rows.children].slice(i * 4, i * 4 + 4);
    setText(label, p.phase.toUpperCase());
    const exporting = p.power_w < 0;
    setText(pw.firstElementChild, p.power_w === null ? DASH : `${exporting ? "↑ " : ""}${powerText(p.power_w)}`);
    bar(pw.querySelector(".fill"), p.power_w, m.phase_power_limit_w, exporting);
    const a = p.current_a;
    setText(cur.firstElementChild, a === null ? DASH : `${num(a, Number.isInteger(a) ? 0 : 1)} A`);
    bar(cur.querySelector(".fill"), a, m.current_limit_a, false);
    setText(volt.firstElementChild, p.voltage_v === null ? DASH : `${num(p.voltage_v, 1)} V`);
    const lo = band.min - 7;
    const b = volt.querySelector(".band");
    b.style.left = `${((band.min - lo) / span) * 100}%`;
    b.style.width = `${((band.max - band.min) / span) * 100}%`;
    const mark = volt.querySelector(".mark");
    const vv = p.voltage_v ?? band.nominal;
    mark.style.left = `${Math.max(0, Math.min(1, (vv - lo) / span)) * 100}%`;
    mark.className = `mark${p.voltage_v !== null && (vv < band.min || vv > band.max) ? " over" : ""}`;
    mark.hidden = p.voltage_v === null;
  });
}

function period(prefix, p) {
  setText(`e-${prefix}-imp`, p ? kwh(p.import_kwh) : DASH);
  setText(`e-${prefix}-exp`, p ? kwh(p.export_kwh) : DASH);
  setText(
    `e-${prefix}-cost`,
    p && p.cost !== null ? `${p.cost_estimated ? "≈ " : ""}${money(p.cost, p.currency)}` : DASH,
  );
  setText(`e-${prefix}-peak`, p && p.peak_15min_kw !== null ? `${num(p.peak_15min_kw, 2)} kW` : DASH);
  setText(`e-${prefix}-base`, p && p.baseload_w != null ? `${num(p.baseload_w, 0)} W` : DASH);
}

export function renderEnergy(m) {
  period("day", m.today);
  period("month", m.month);
  const note = $("cost-note");
  const estimated = m.today?.cost_estimated || m.month?.cost_estimated;
  note.hidden = !estimated && (m.today || m.month);
  setText(note, !m.today && !m.month ? t("page.energy.no_statistics") : estimated ? t("page.energy.estimated") : "");
  setText("reg-imp", m.registers.import_kwh === null ? DASH : `${num(m.registers.import_kwh, 3)} kWh`);
  setText("reg-exp", m.registers.export_kwh === null ? DASH : `${num(m.registers.export_kwh, 3)} kWh`);
}

const MEDIA = new Set(["gas", "water", "heat", "warm_water", "cooling"]);

export function renderMbus(m) {
  const list = m.mbus.filter((x) => x.value !== null);
  $("mbus-card").hidden = list.length === 0;
  const box = $("mbus");
  const tpl = $("mbus-row");
  if (box.children.length !== list.length) {
    box.replaceChildren();
    for (let i = 0; i < list.length; i++) box.append(tpl.content.cloneNode(true));
  }
  list.forEach((x, i) => {
    const [kind, value, sub] = box.children[i].children;
    setText(kind, MEDIA.has(x.medium) ? t(`common.medium.${x.medium}`) : t("common.channel", { n: x.channel }));
    setText(value, `${num(x.value, 3)} ${unit(x.unit)}`);
    const today = x.today === null ? "" : ` · ${t("page.mbus.today", { value: `${num(x.today, 2)} ${unit(x.unit)}` })}`;
    setText(sub, `${t("page.mbus.read_at", { time: clock(x.time) })}${today}`);
  });
}

/** The meter selector: one button per meter, hidden when there is only one. */
export function renderSelector(meters, selected, onSelect) {
  const nav = $("meters");
  nav.hidden = meters.length < 2;
  if (nav.hidden) return;
  const ids = meters.map((m) => m.id).join("\n");
  if (nav.dataset.ids !== ids) {
    nav.dataset.ids = ids;
    nav.replaceChildren(
      ...meters.map((m) => {
        const b = document.createElement("button");
        b.type = "button";
        b.dataset.id = m.id;
        b.textContent = m.meter_id;
        b.addEventListener("click", () => onSelect(m.id));
        return b;
      }),
    );
  }
  for (const b of nav.children) b.setAttribute("aria-pressed", String(b.dataset.id === selected));
}
