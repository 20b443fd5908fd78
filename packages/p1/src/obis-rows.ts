/**
 * Row builders of the OBIS registry, with named fields (the way zigbee-herdsman-converters writes
 * `numeric({name, cluster, attribute, …})`): each returns plain data, and keeps the row's key as a literal type so
 * the registry's keys form a union that the compiler checks at every use.
 *
 * Metric names follow Prometheus naming: base units, `_total` on counters only, one quantity per metric.
 */
import type { MetricSpec, ObisDefinition, ObisKind, Phase } from "./obis-types.js";

/** A registry row whose key and kind are known to the compiler. */
export type ObisRow<K extends string = string, Kind extends ObisKind = ObisKind> = ObisDefinition & {
  readonly key: K;
  readonly kind: Kind;
};

const KWH_TO_J = 3_600_000;
/**
 * kvarh → var·s (volt-ampere reactive seconds), the reactive counterpart of kWh → J: `promtool check metrics`
 * rejects `hours` in a metric name and asks for the base unit seconds.
 */
const KVARH_TO_VARS = 3_600_000;

type Labels = Readonly<Record<string, string>>;

const metricSpec =
  (type: MetricSpec["type"]) =>
  (name: string, scale: number, help: string, labels?: Labels): MetricSpec => ({
    name,
    type,
    scale,
    help,
    ...(labels ? { labels } : {}),
  });

export const gauge = metricSpec("gauge");
export const counter = metricSpec("counter");

/** Fields every metric-bearing row builder takes. */
interface MetricRowFields<K extends string> {
  readonly code: string;
  readonly key: K;
  readonly description: string;
  /** Prometheus metric name. */
  readonly metric: string;
  readonly labels?: Labels;
  /** HELP text; by default the description with the OBIS code and the meter unit. */
  readonly help?: string;
}

const defaultHelp = (f: { code: string; description: string; help?: string }, unit?: string) =>
  f.help ?? `${f.description} (OBIS ${f.code}${unit ? `, meter unit ${unit}` : ""}).`;

/** A cumulative register (kWh or kvarh), exported as a counter in J or var·s. */
export function energy<K extends string>(
  f: MetricRowFields<K> & { readonly unit: "kWh" | "kvarh" },
): ObisRow<K, "energy"> {
  const scale = f.unit === "kWh" ? KWH_TO_J : KVARH_TO_VARS;
  return {
    code: f.code,
    key: f.key,
    description: f.description,
    kind: "energy",
    unit: f.unit,
    metric: counter(f.metric, scale, defaultHelp(f, f.unit), f.labels),
    homeAssistant:
      f.unit === "kWh"
        ? { device_class: "energy", state_class: "total_increasing" }
        : { state_class: "total_increasing" },
    wire: { int: 6, dec: 3 },
  };
}

/** An instantaneous power (kW, kvar or kVA), exported as a gauge in W, var or VA. */
export function power<K extends string>(
  f: MetricRowFields<K> & { readonly unit: "kW" | "kvar" | "kVA" },
): ObisRow<K, "power"> {
  return {
    code: f.code,
    key: f.key,
    description: f.description,
    kind: "power",
    unit: f.unit,
    metric: gauge(f.metric, 1000, defaultHelp(f, f.unit), f.labels),
    homeAssistant: {
      device_class: f.unit === "kW" ? "power" : f.unit === "kvar" ? "reactive_power" : "apparent_power",
      state_class: "measurement",
    },
    wire: { int: 2, dec: 3 },
  };
}

/** An instantaneous voltage (V) or current (A), exported as a gauge in the same unit. */
export function electric<K extends string, Kind extends "voltage" | "current">(
  f: MetricRowFields<K> & { readonly kind: Kind },
): ObisRow<K, Kind> {
  const unit = f.kind === "voltage" ? "V" : "A";
  return {
    code: f.code,
    key: f.key,
    description: f.description,
    kind: f.kind,
    unit,
    metric: gauge(f.metric, 1, defaultHelp(f, unit), f.labels),
    homeAssistant: { device_class: f.kind, state_class: "measurement" },
    wire: f.kind === "voltage" ? { int: 3, dec: 1 } : { int: 3, dec: 0 },
  };
}

/** An event counter that only grows (power failures, voltage sags and swells). */
export function eventCounter<K extends string>(f: MetricRowFields<K>): ObisRow<K, "counter"> {
  return {
    code: f.code,
    key: f.key,
    description: f.description,
    kind: "counter",
    metric: counter(f.metric, 1, defaultHelp(f), f.labels),
    homeAssistant: { state_class: "total_increasing", icon: "mdi:flash-alert" },
    wire: { int: 5, dec: 0 },
  };
}

/** A long or short message: an octet string, hex on the wire. */
export function message<K extends string>(f: { code: string; key: K; description: string }): ObisRow<K, "text"> {
  return { ...f, kind: "text", hexText: true, homeAssistant: { icon: "mdi:message-text" } };
}

const PHASE_ROWS: readonly { readonly phase: Phase; readonly n: 1 | 2 | 3 }[] = [
  { phase: "l1", n: 1 },
  { phase: "l2", n: 2 },
  { phase: "l3", n: 3 },
];

/** The keys a key template stands for: `#` is the number (phase, tariff, message). */
export type Nth<K extends string, N extends number> = K extends `${infer A}#${infer B}` ? `${A}${N}${B}` : never;

/** Substitutes `#` by `n` in a template. */
const nth = (template: string, n: number): string => template.replace("#", String(n));

interface Numbered {
  readonly code: string;
  readonly key: string;
  readonly description: string;
}

/** One row per number from a template whose code, key and description hold `#`; `each` adds per-number fields. */
export function numbered<N extends number, Kind extends ObisKind, const F extends Numbered>(
  ns: readonly N[],
  build: (f: F) => ObisRow<string, Kind>,
  template: F,
  each?: (n: N) => Partial<F>,
): readonly ObisRow<Nth<F["key"], N>, Kind>[] {
  return ns.map((n) =>
    build({
      ...template,
      code: nth(template.code, n),
      key: nth(template.key, n),
      description: nth(template.description, n),
      ...each?.(n),
    }),
  ) as ObisRow<string, Kind>[] as ObisRow<Nth<F["key"], N>, Kind>[];
}

/**
 * The three rows of a per-phase quantity from one template: `#` in key and description is the phase number; the
 * OBIS C of L2 and L3 is L1's +20 and +40 (IEC 62056-61), so `code` is L1's. Each row carries its `phase` and the
 * `phase` label; the HELP text, shared by the three series, names the three codes.
 */
export function perPhase<Kind extends ObisKind, const F extends MetricRowFields<string>>(
  build: (f: F) => ObisRow<string, Kind>,
  template: F & { readonly help: string; readonly unit?: string },
): readonly ObisRow<Nth<F["key"], 1 | 2 | 3>, Kind>[] {
  const m = /^1-0:(\d+)\.(.+)$/.exec(template.code);
  if (!m) throw new Error(`per-phase code ${template.code} is not 1-0:C.D.E`);
  const c1 = Number(m[1]);
  const code = (n: number) => `${c1 + (n - 1) * 20}.${m[2]}`;
  const unit = template.unit ? `, meter unit ${template.unit}` : "";
  const help = `${template.help} (OBIS 1-0:${code(1)}, ${code(2)}, ${code(3)}${unit}).`;
  return PHASE_ROWS.map(({ phase, n }) => {
    const { code: c, ...row } = build({
      ...template,
      code: `1-0:${code(n)}`,
      key: nth(template.key, n),
      description: nth(template.description, n),
      labels: { ...template.labels, phase },
      help,
    });
    // The code first, then the phase: the order of the row's JSON form.
    return { code: c, phase, ...row };
  }) as ObisRow<string, Kind>[] as ObisRow<Nth<F["key"], 1 | 2 | 3>, Kind>[];
}
