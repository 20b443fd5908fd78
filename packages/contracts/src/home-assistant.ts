/**
 * Home Assistant MQTT discovery (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery and
 * https://www.home-assistant.io/integrations/sensor.mqtt/): one retained config message per entity
 * (home-assistant-entities.ts), pointing at the entity's state topic; an empty retained config removes the entity.
 *
 * Availability needs both topics (`availability_mode: all`): the ingest's status (its Last Will says `offline` when
 * the process or its broker connection goes) and its health, which leaves `ok` when the meter falls silent
 * (INGEST_NO_FRAMES_TIMEOUT). `expire_after` is a backstop for a hung ingest: states are published on change and at
 * least every SMARTY_STATE_REFRESH, so the publisher sets it a little above that period.
 */
import type { Reading } from "@smarty/p1";
import { z } from "zod";
import { type HaEntity, readingEntities } from "./home-assistant-entities.js";
import { meterManufacturer } from "./meter-manufacturer.js";
import { DEFAULT_DISCOVERY_PREFIX, topicSegment, topics } from "./topics.js";

export * from "./home-assistant-entities.js";
export { meterManufacturer } from "./meter-manufacturer.js";

const availabilitySchema = z.object({
  topic: z.string(),
  payload_available: z.string(),
  payload_not_available: z.string(),
  value_template: z.string().optional(),
});

/** `homeassistant/sensor/<node>/<object>/config`: the sensor config Home Assistant reads, retained. */
export const homeAssistantSensorSchema = z.object({
  name: z.string(),
  unique_id: z.string(),
  state_topic: z.string(),
  value_template: z.string().optional(),
  unit_of_measurement: z.string().optional(),
  device_class: z.string().optional(),
  state_class: z.enum(["measurement", "total", "total_increasing"]).optional(),
  icon: z.string().optional(),
  entity_category: z.literal("diagnostic").optional(),
  enabled_by_default: z.boolean().optional(),
  expire_after: z.number().int().positive().optional(),
  availability: z.array(availabilitySchema),
  availability_mode: z.enum(["all", "any", "latest"]).optional(),
  device: z.object({
    identifiers: z.array(z.string()),
    name: z.string(),
    manufacturer: z.string(),
    model: z.string().optional(),
    sw_version: z.string().optional(),
    serial_number: z.string(),
  }),
  origin: z.object({ name: z.string(), sw_version: z.string().optional(), support_url: z.string().optional() }),
});
export type HomeAssistantSensor = z.infer<typeof homeAssistantSensorSchema>;

export interface DiscoveryMessage {
  readonly topic: string;
  readonly payload: HomeAssistantSensor;
}

/** The software that publishes the discovery messages (`origin`). */
export interface DiscoveryOrigin {
  readonly swVersion?: string | undefined;
  readonly supportUrl?: string | undefined;
}

export interface DiscoveryOptions {
  readonly baseTopic: string;
  /** Name of the ingest instance; its status and health topics are the availability topics. */
  readonly instance: string;
  /** Discovery prefix, `homeassistant` unless changed in Home Assistant. */
  readonly prefix?: string;
  /** Only announce these registry keys (the ones the meter sends); all rows with a spec when omitted. */
  readonly keys?: ReadonlySet<string>;
  /** Seconds after which Home Assistant marks a value unavailable when no update came. */
  readonly expireAfterS?: number;
  readonly origin?: DiscoveryOrigin;
}

/** Node id of a meter in discovery topics and unique ids. */
export function discoveryNodeId(meterId: string): string {
  return `smarty_${topicSegment(meterId)}`;
}

/** Health state that counts as available: frames arrive and verify. */
const HEALTH_TEMPLATE = "{{ 'online' if value_json.state == 'ok' else 'offline' }}";

/** The availability list every smarty sensor of this ingest instance carries. */
export function discoveryAvailability(baseTopic: string, instance: string): HomeAssistantSensor["availability"] {
  return [
    {
      topic: topics.status(baseTopic, "ingest", instance),
      payload_available: "online",
      payload_not_available: "offline",
    },
    {
      topic: topics.health(baseTopic, "ingest", instance),
      payload_available: "online",
      payload_not_available: "offline",
      value_template: HEALTH_TEMPLATE,
    },
  ];
}

/** The reading fields discovery looks at. */
export type DiscoveryReading = Pick<Reading, "meter_id" | "header" | "version" | "mbus" | "frame">;

/** One discovery message per entity of the reading (registry rows, M-Bus channels, frame counter). */
export function homeAssistantDiscovery(reading: DiscoveryReading, options: DiscoveryOptions): DiscoveryMessage[] {
  const prefix = options.prefix ?? DEFAULT_DISCOVERY_PREFIX;
  const node = discoveryNodeId(reading.meter_id);
  const device: HomeAssistantSensor["device"] = {
    identifiers: [node],
    name: `Smarty ${reading.meter_id}`,
    manufacturer: meterManufacturer(reading.header, reading.meter_id),
    serial_number: reading.meter_id,
    ...(reading.header ? { model: reading.header } : {}),
    ...(reading.version ? { sw_version: reading.version } : {}),
  };
  const origin: HomeAssistantSensor["origin"] = {
    name: "smarty",
    ...(options.origin?.swVersion ? { sw_version: options.origin.swVersion } : {}),
    ...(options.origin?.supportUrl ? { support_url: options.origin.supportUrl } : {}),
  };
  const availability = discoveryAvailability(options.baseTopic, options.instance);
  return readingEntities(reading as Reading, options.keys).map((e) => ({
    topic: topics.discovery(prefix, node, e.objectId),
    payload: {
      name: e.name,
      unique_id: `${node}_${e.objectId}`,
      state_topic: topics.state(options.baseTopic, reading.meter_id, e.key),
      ...entityFields(e),
      ...(options.expireAfterS ? { expire_after: options.expireAfterS } : {}),
      availability,
      availability_mode: "all",
      device,
      origin,
    },
  }));
}

function entityFields(e: HaEntity): Partial<HomeAssistantSensor> {
  return {
    ...(e.valueTemplate ? { value_template: e.valueTemplate } : {}),
    ...(e.unit ? { unit_of_measurement: e.unit } : {}),
    ...(e.deviceClass ? { device_class: e.deviceClass } : {}),
    ...(e.stateClass ? { state_class: e.stateClass } : {}),
    ...(e.icon ? { icon: e.icon } : {}),
    ...(e.diagnostic ? { entity_category: "diagnostic" as const } : {}),
    ...(e.enabled ? {} : { enabled_by_default: false }),
  };
}

/** Discovery config topics of every node, for reading back the retained configs. */
export const discoveryFilter = (prefix: string) => `${prefix}/sensor/+/+/config`;

/**
 * Whether a retained discovery config was published by this ingest instance: its unique id is a smarty one and its
 * first availability topic is this instance's status topic. Configs of other instances are never touched.
 */
export function isOwnDiscoveryConfig(payload: unknown, baseTopic: string, instance: string): boolean {
  if (typeof payload !== "object" || payload === null) return false;
  const p = payload as { unique_id?: unknown; availability?: unknown };
  if (typeof p.unique_id !== "string" || !p.unique_id.startsWith("smarty_")) return false;
  const first = Array.isArray(p.availability) ? (p.availability[0] as { topic?: unknown } | undefined) : undefined;
  return first?.topic === topics.status(baseTopic, "ingest", instance);
}
