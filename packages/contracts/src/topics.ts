/**
 * The MQTT topic tree. Topics are built and parsed only here; no service writes a topic as an ad hoc string.
 *
 * <base>/<meter_id>/reading              full reading JSON, retained (ingest)
 * <base>/<meter_id>/state/<key>          one plain value per registry key, retained (ingest)
 * <base>/<meter_id>/statistics           statistics JSON, retained (notifier)
 * <base>/alerts/<meter_id>/<alert_id>    last state of one alert, retained (notifier)
 * <base>/<service>/<instance>/status     "online" / "offline", retained, the Last Will (every service)
 * <base>/<service>/<instance>/health     service health JSON, retained (ingest counters; others optional)
 * <base>/notifier/cmd                    commands to the notifier (JSON)
 * <base>/notifier/cmd/response           replies in the command envelope
 * homeassistant/sensor/<node>/<key>/config   Home Assistant MQTT discovery, retained (ingest)
 */

export const DEFAULT_BASE_TOPIC = "smarty";
export const DEFAULT_DISCOVERY_PREFIX = "homeassistant";
export const SERVICES = ["ingest", "exporter", "display", "notifier"] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Reserved second-level segments that are never meter ids. */
const RESERVED = new Set<string>([...SERVICES, "alerts"]);

/** Makes a string safe as one topic level: no `/`, `+`, `#`, NUL or spaces; never a reserved segment. */
export function topicSegment(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is forbidden in MQTT topics (MQTT 3.1.1 §4.7.3)
  const clean = s.replace(/[/+#\s\u0000]/g, "_");
  if (clean === "") return "_";
  return RESERVED.has(clean) ? `meter_${clean}` : clean;
}

export const topics = {
  reading: (base: string, meterId: string) => `${base}/${topicSegment(meterId)}/reading`,
  state: (base: string, meterId: string, key: string) => `${base}/${topicSegment(meterId)}/state/${key}`,
  statistics: (base: string, meterId: string) => `${base}/${topicSegment(meterId)}/statistics`,
  alert: (base: string, meterId: string, alertId: string) =>
    `${base}/alerts/${topicSegment(meterId)}/${topicSegment(alertId)}`,
  status: (base: string, service: ServiceName, instance: string) =>
    `${base}/${service}/${topicSegment(instance)}/status`,
  health: (base: string, service: ServiceName, instance: string) =>
    `${base}/${service}/${topicSegment(instance)}/health`,
  notifierCommand: (base: string) => `${base}/notifier/cmd`,
  notifierResponse: (base: string) => `${base}/notifier/cmd/response`,
  discovery: (prefix: string, nodeId: string, objectId: string) =>
    `${prefix}/sensor/${topicSegment(nodeId)}/${topicSegment(objectId)}/config`,
} as const;

/** Subscription filters for consumers. */
export const filters = {
  readings: (base: string) => `${base}/+/reading`,
  statistics: (base: string) => `${base}/+/statistics`,
  alerts: (base: string) => `${base}/alerts/#`,
  status: (base: string, service: ServiceName) => `${base}/${service}/+/status`,
  health: (base: string, service: ServiceName) => `${base}/${service}/+/health`,
} as const;

export type ParsedTopic =
  | { readonly type: "reading"; readonly meterId: string }
  | { readonly type: "state"; readonly meterId: string; readonly key: string }
  | { readonly type: "statistics"; readonly meterId: string }
  | { readonly type: "alert"; readonly meterId: string; readonly alertId: string }
  | { readonly type: "status"; readonly service: ServiceName; readonly instance: string }
  | { readonly type: "health"; readonly service: ServiceName; readonly instance: string }
  | { readonly type: "command" }
  | { readonly type: "response" };

/** Recognises a topic of the tree under `base`; undefined for anything else. */
export function parseTopic(base: string, topic: string): ParsedTopic | undefined {
  if (!topic.startsWith(`${base}/`)) return undefined;
  const p = topic.slice(base.length + 1).split("/");
  const [a, b, c] = p;
  if (a === undefined || b === undefined) return undefined;
  if (a === "alerts") return p.length === 3 && c ? { type: "alert", meterId: b, alertId: c } : undefined;
  if (a === "notifier" && b === "cmd") {
    if (p.length === 2) return { type: "command" };
    if (p.length === 3 && c === "response") return { type: "response" };
  }
  if ((SERVICES as readonly string[]).includes(a)) {
    if (p.length === 3 && (c === "status" || c === "health"))
      return { type: c, service: a as ServiceName, instance: b };
    return undefined;
  }
  if (p.length === 2 && b === "reading") return { type: "reading", meterId: a };
  if (p.length === 2 && b === "statistics") return { type: "statistics", meterId: a };
  if (p.length === 3 && b === "state" && c) return { type: "state", meterId: a, key: c };
  return undefined;
}
