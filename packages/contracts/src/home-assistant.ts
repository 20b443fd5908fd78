/**
 * Home Assistant MQTT discovery (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery and
 * https://www.home-assistant.io/integrations/sensor.mqtt/): one retained config message per registry row that has
 * a `homeAssistant` spec, pointing at the row's state topic. Device class, state class and icon come from the OBIS
 * registry, the unit from the row's normalised unit; nothing is typed twice.
 */
import { OBIS_REGISTRY, type ObisDefinition } from "@smarty/p1";
import { z } from "zod";
import { DEFAULT_DISCOVERY_PREFIX, topicSegment, topics } from "./topics.js";

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
  expire_after: z.number().int().positive().optional(),
  availability: z.array(
    z.object({ topic: z.string(), payload_available: z.string(), payload_not_available: z.string() }),
  ),
  device: z.object({
    identifiers: z.array(z.string()),
    name: z.string(),
    manufacturer: z.string(),
    model: z.string().optional(),
    sw_version: z.string().optional(),
    serial_number: z.string(),
  }),
  origin: z.object({ name: z.string(), support_url: z.string().optional() }),
});
export type HomeAssistantSensor = z.infer<typeof homeAssistantSensorSchema>;

export interface DiscoveryMessage {
  readonly topic: string;
  readonly payload: HomeAssistantSensor;
}

export interface DiscoveryOptions {
  readonly baseTopic: string;
  readonly meterId: string;
  /** Name of the ingest instance; its status topic is the availability topic. */
  readonly instance: string;
  /** Discovery prefix, `homeassistant` unless changed in Home Assistant. */
  readonly prefix?: string;
  /** Identification line of the telegram (`Lux5\253694471_M`), shown as the model. */
  readonly model?: string | undefined;
  /** P1 version (`42`), shown as the firmware version. */
  readonly version?: string | null | undefined;
  /** Only announce these keys (the ones the meter actually sends); all rows with a spec when omitted. */
  readonly keys?: ReadonlySet<string>;
  /** Seconds after which Home Assistant marks a value unavailable when no update came. */
  readonly expireAfterS?: number;
}

/** Node id of a meter in discovery topics and unique ids. */
export function discoveryNodeId(meterId: string): string {
  return `smarty_${topicSegment(meterId)}`;
}

/** One discovery message per announced sensor; multi-value rows give one sensor per value. */
export function homeAssistantDiscovery(options: DiscoveryOptions): DiscoveryMessage[] {
  const prefix = options.prefix ?? DEFAULT_DISCOVERY_PREFIX;
  const node = discoveryNodeId(options.meterId);
  const device: HomeAssistantSensor["device"] = {
    identifiers: [node],
    name: `Smarty ${options.meterId}`,
    manufacturer: "Smart meter (P1 port)",
    serial_number: options.meterId,
    ...(options.model ? { model: options.model } : {}),
    ...(options.version ? { sw_version: options.version } : {}),
  };
  const availability = [
    {
      topic: topics.status(options.baseTopic, "ingest", options.instance),
      payload_available: "online",
      payload_not_available: "offline",
    },
  ];
  const out: DiscoveryMessage[] = [];
  for (const def of OBIS_REGISTRY) {
    if (!def.homeAssistant || (options.keys && !options.keys.has(def.key))) continue;
    const count = def.values ?? 1;
    for (let i = 0; i < count; i++) {
      const objectId = count > 1 ? `${def.key}_${i + 1}` : def.key;
      const payload: HomeAssistantSensor = {
        name: count > 1 ? `${def.description} (value ${i + 1})` : def.description,
        unique_id: `${node}_${objectId}`,
        state_topic: topics.state(options.baseTopic, options.meterId, def.key),
        ...(count > 1 ? { value_template: `{{ value_json[${i}] }}` } : {}),
        ...sensorFields(def),
        ...(options.expireAfterS ? { expire_after: options.expireAfterS } : {}),
        availability,
        device,
        origin: { name: "smarty" },
      };
      out.push({ topic: topics.discovery(prefix, node, objectId), payload });
    }
  }
  return out;
}

function sensorFields(def: ObisDefinition): Partial<HomeAssistantSensor> {
  const ha = def.homeAssistant ?? {};
  return {
    ...(def.unit ? { unit_of_measurement: def.unit } : {}),
    ...(ha.device_class ? { device_class: ha.device_class } : {}),
    ...(ha.state_class ? { state_class: ha.state_class } : {}),
    ...(ha.icon ? { icon: ha.icon } : {}),
  };
}
