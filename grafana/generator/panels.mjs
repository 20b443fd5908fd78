/**
 * Small builders for Grafana dashboard JSON (schemaVersion 39, Grafana 10/11). Every panel and target points at
 * the `${datasource}` variable, whose default is the provisioned datasource: the same JSON works provisioned and
 * imported into a Grafana that already has its own Prometheus. Panels are laid out left to right in rows of 24 grid
 * units.
 */

/** The uid of grafana/provisioning/datasources/prometheus.yml, the variable's default. */
export const PROVISIONED_UID = "smarty-prometheus";
export const DATASOURCE = { type: "prometheus", uid: "${datasource}" };

/** Lets the viewer pick any Prometheus datasource; the provisioned one is selected by default. */
export const datasourceVariable = (hide = 0) => ({
  type: "datasource",
  name: "datasource",
  label: "Prometheus",
  query: "prometheus",
  regex: "",
  refresh: 1,
  multi: false,
  includeAll: false,
  hide,
  current: { selected: true, text: "Prometheus", value: PROVISIONED_UID },
  options: [],
});

/** `{meter="$meter"}` plus extra matchers. */
export const m = (extra = "") => `{meter="$meter"${extra ? `, ${extra}` : ""}}`;

/** A PromQL target; `instant` for stats and tables, range otherwise. */
export function q(expr, legendFormat = "", options = {}) {
  return { expr, legendFormat, ...options };
}

const thresholdsOf = (steps) => ({
  mode: "absolute",
  steps: steps.map(([value, color]) => ({ color, value })),
});

const GREEN = [[null, "green"]];

function base(type, title, targets, opts) {
  const { unit, decimals, min, max, thresholds, mappings, description, timeFrom, timeShift, interval, options } = opts;
  const { maxDataPoints } = opts;
  const panel = {
    type,
    title,
    datasource: DATASOURCE,
    ...(description ? { description } : {}),
    fieldConfig: {
      defaults: {
        ...(unit ? { unit } : {}),
        ...(decimals !== undefined ? { decimals } : {}),
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
        ...(mappings ? { mappings } : {}),
        thresholds: thresholdsOf(thresholds ?? GREEN),
        ...(opts.custom ? { custom: opts.custom } : {}),
      },
      overrides: [],
    },
    options: options ?? {},
    targets: targets.map((t, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      editorMode: "code",
      range: !t.instant,
      instant: Boolean(t.instant),
      ...(t.format ? { format: t.format } : {}),
      expr: t.expr,
      legendFormat: t.legendFormat || "__auto",
    })),
    ...(timeFrom ? { timeFrom } : {}),
    ...(timeShift ? { timeShift } : {}),
    ...(interval ? { interval } : {}),
    ...(maxDataPoints ? { maxDataPoints } : {}),
    w: opts.w ?? 6,
    h: opts.h ?? 6,
  };
  return panel;
}

const statOptions = (textMode = "auto") => ({
  reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
  colorMode: "value",
  graphMode: "none",
  justifyMode: "auto",
  orientation: "auto",
  textMode,
});

/** A single number (last value); queries are instant. */
export function stat(title, targets, opts = {}) {
  const instant = targets.map((t) => ({ ...t, instant: true }));
  return base("stat", title, instant, { ...opts, options: { ...statOptions(opts.textMode), ...opts.options } });
}

export function gauge(title, targets, opts = {}) {
  const instant = targets.map((t) => ({ ...t, instant: true }));
  return base("gauge", title, instant, {
    ...opts,
    options: { reduceOptions: statOptions().reduceOptions, showThresholdLabels: false, showThresholdMarkers: true },
  });
}

export function bargauge(title, targets, opts = {}) {
  const instant = targets.map((t) => ({ ...t, instant: true }));
  return base("bargauge", title, instant, {
    ...opts,
    options: {
      reduceOptions: statOptions().reduceOptions,
      orientation: opts.orientation ?? "horizontal",
      displayMode: "gradient",
      showUnfilled: true,
    },
  });
}

export function timeseries(title, targets, opts = {}) {
  const bars = opts.bars === true;
  return base("timeseries", title, targets, {
    ...opts,
    custom: {
      drawStyle: bars ? "bars" : "line",
      lineWidth: 1,
      fillOpacity: bars ? 80 : 10,
      showPoints: "never",
      spanNulls: false,
      ...(opts.stack ? { stacking: { mode: "normal", group: "A" } } : {}),
    },
    options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi" } },
  });
}

export function table(title, targets, opts = {}) {
  const instant = targets.map((t) => ({ ...t, instant: true, format: "table" }));
  return base("table", title, instant, { ...opts, options: { showHeader: true, cellHeight: "sm" } });
}

/** Value mappings for small integer states. */
export function stateMappings(names) {
  const options = {};
  for (const [value, [text, color]] of Object.entries(names)) options[value] = { text, color, index: Number(value) };
  return [{ type: "value", options }];
}

export const meterVariable = (hide = 0) => ({
  type: "query",
  name: "meter",
  label: "Meter",
  datasource: DATASOURCE,
  definition: "label_values(smarty_meter_info, meter)",
  query: { query: "label_values(smarty_meter_info, meter)", refId: "meter" },
  refresh: 2,
  sort: 1,
  multi: false,
  includeAll: false,
  hide,
  current: {},
  options: [],
});

/** Assigns ids and grid positions: panels flow left to right, a new row starts when 24 units are used. */
function layout(panels) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((p, i) => {
    const { w, h, ...rest } = p;
    if (x + w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const out = { id: i + 1, gridPos: { h, w, x, y }, ...rest };
    x += w;
    rowHeight = Math.max(rowHeight, h);
    return out;
  });
}

export function dashboard({ uid, title, description, panels, variables, time = "now-6h", refresh = "10s", kiosk }) {
  return {
    uid,
    title,
    description,
    tags: ["smarty"],
    // Days, weeks and months are Luxembourg's (the notifier's calendar); Grafana also aligns steps to this zone.
    timezone: "Europe/Luxembourg",
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh,
    time: { from: time, to: "now" },
    timepicker: kiosk ? { hidden: true } : {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    annotations: { list: [] },
    links: kiosk
      ? []
      : [
          {
            type: "dashboards",
            tags: ["smarty"],
            asDropdown: false,
            includeVars: true,
            keepTime: true,
            title: "Smarty",
          },
        ],
    // Every dashboard starts with the datasource variable, which the other variables and the panels use.
    templating: { list: [datasourceVariable(kiosk ? 2 : 0), ...variables] },
    panels: layout(panels),
  };
}
