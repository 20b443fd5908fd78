/**
 * Renders docs/metrics.md from the metric catalogue, which itself reads the OBIS registry; a test keeps the file in
 * sync, `npm run docs:metrics -w services/exporter` rewrites it.
 */
import {
  EXPORTER_FAMILIES,
  type FamilySpec,
  INGEST_FAMILIES,
  MBUS_FAMILIES,
  READING_FAMILIES,
  type RegistryFamily,
  registryFamilies,
  STATISTICS_FAMILIES,
} from "./catalogue.js";
import { FRAME_RESULTS } from "./collectors/ingest.js";
import { REJECT_REASONS } from "./metrics-registry.js";

const cell = (s: string) => s.replace(/\|/g, "\\|");
const code = (s: string) => `\`${s}\``;

function labelText(f: FamilySpec, extra: Readonly<Record<string, string>> = {}): string {
  return f.labels.map((l) => (extra[l] ? `${code(l)} (${extra[l]})` : code(l))).join(", ") || "–";
}

function conversion(f: RegistryFamily): string {
  const { def, spec } = f.rows[0]!;
  if (!def.unit) return "–";
  return spec.scale === 1 ? def.unit : `${def.unit} × ${spec.scale.toLocaleString("en-US")}`;
}

function registryRowLabels(f: RegistryFamily): Record<string, string> {
  const values: Record<string, Set<string>> = {};
  for (const { spec } of f.rows) {
    for (const [k, v] of Object.entries(spec.labels ?? {})) {
      const set = values[k] ?? new Set<string>();
      set.add(v);
      values[k] = set;
    }
  }
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [...v].map(code).join(", ")]));
}

/** A Markdown table with padded columns, as Biome formats it (so `biome check` accepts the generated file). */
function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows].map((r) => r.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => [...(r[i] ?? "")].length)));
  const pad = (s: string, i: number) => s + " ".repeat((widths[i] ?? 0) - [...s].length);
  const line = (cells: string[]) => `| ${cells.map(pad).join(" | ")} |`;
  const rule = `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`;
  return [line(all[0] ?? []), rule, ...all.slice(1).map(line)].join("\n");
}

function simpleTable(families: readonly FamilySpec[], extra: Record<string, Record<string, string>> = {}): string {
  return table(
    ["metric", "type", "labels", "source", "meaning"],
    families.map((f) => [code(f.name), f.type, labelText(f, extra[f.name]), f.source, f.help]),
  );
}

export function renderMetricsDoc(): string {
  const electricity = table(
    ["metric", "type", "labels", "OBIS", "meter unit → base unit", "meaning"],
    registryFamilies().map((f) => [
      code(f.name),
      f.type,
      labelText(f, registryRowLabels(f)),
      f.source,
      conversion(f),
      f.help,
    ]),
  );
  const results = FRAME_RESULTS.map(([r]) => code(r)).join(", ");
  return `# Metrics

<!-- Generated from the OBIS registry (packages/p1) by \`npm run docs:metrics -w services/exporter\`. Do not edit. -->

The exporter (\`services/exporter\`, default port 9464) serves these on \`/metrics\`. Names, types, HELP texts and
scale factors come from the OBIS registry; nothing here is typed twice.

- Prefix \`smarty_\`, base units (joules, watts, volts, amperes, cubic meters, seconds), \`_total\` only on counters.
- Meter registers are **counters with the meter's absolute value**: use \`increase()\`/\`rate()\`; \`rate()\` of a
  \`_joules_total\` counter is a power in watts.
- Every reading series carries \`meter\` (the meter id of \`0-0:42.0.0\`, or \`0-0:96.1.1\` on DSMR meters).
- A meter whose last reading arrived more than \`EXPORTER_STALE_AFTER\` ago (default 60 s) has no series at all, so
  graphs show a gap rather than a frozen value. No sample carries a timestamp; the meter's own time is
  \`smarty_reading_timestamp_seconds\`.
- A value the meter does not send (a Lux meter has no tariff registers, DSMR meters no \`1-0:9.7.0\`) has no series.
- \`process_*\` and \`nodejs_*\` are prom-client's default process metrics of the exporter itself.

## Electricity meter (OBIS registry)

${electricity}

## M-Bus channels (gas, water, heat)

\`channel\` is the M-Bus channel 1–4 (\`0-n\`), \`medium\` comes from the device type \`0-n:24.1.0\` (EN 13757-3):
\`gas\`, \`water\`, \`heat\`, \`warm_water\`, \`cooling\`, \`electricity\`, \`other\`. Indexes in m3 go to the volume
metric; GJ, MJ, kWh and MWh go to the energy metric in joules.

${simpleTable(Object.values(MBUS_FAMILIES))}

## Reading

${simpleTable(Object.values(READING_FAMILIES), {
  smarty_meter_info: { system_title: "empty for unencrypted telegrams" },
  smarty_long_message_info: { slot: "`0` long message, `1` short message, `2`–`5` Lux extra slots" },
})}

## Statistics (notifier)

From the retained \`<base>/<meter_id>/statistics\` JSON of the notifier: Luxembourg calendar days, weeks (Monday to
Sunday) and months, with 23- and 25-hour days on the DST changes. \`period\` is \`day\`, \`week\` or \`month\`;
\`window\` is \`current\` (the running period, updated as readings arrive) or \`previous\` (the last closed period,
which changes once, when the notifier closes the period at local midnight). Six series per meter and family, whatever
the history: the value of a past day lives in Prometheus' history of the \`previous\` series. No series without the
notifier; money only when the notifier's tariff is in EUR. The mapping from statistics fields to families is the
table \`STATISTICS_FIELDS\` in \`services/exporter/src/collectors/statistics.ts\`.

${simpleTable(Object.values(STATISTICS_FAMILIES))}

## Ingest service health

From the retained \`<base>/ingest/<instance>/health\` JSON and \`<base>/ingest/<instance>/status\` Last Will.

${simpleTable(Object.values(INGEST_FAMILIES), {
  smarty_ingest_frames_total: { result: results },
  smarty_ingest_state: { state: "`ok`, `no_data`, `no_frames`, `wrong_key`, `errors`, …" },
})}

## Statistics (from the notifier)

From the retained \`<base>/<meter_id>/statistics\` JSON of the notifier; only while the notifier runs. The baseload
is defined in [notifier.md](notifier.md#baseload).

${simpleTable(Object.values(STATISTICS_FAMILIES))}

## Exporter

${simpleTable(Object.values(EXPORTER_FAMILIES), {
  smarty_exporter_messages_rejected_total: { reason: REJECT_REASONS.map(code).join(", ") },
})}

Recording rules built on these metrics are listed in [dashboards.md](dashboards.md#recording-rules).
`;
}
