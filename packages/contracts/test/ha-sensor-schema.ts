/**
 * Home Assistant's own rules for an MQTT sensor discovery payload, written down independently of our schema so
 * that the discovery we publish is checked against what Home Assistant accepts, not against what we think we send.
 *
 * Sources (Home Assistant 2024.2 to 2025.x; the unit and state class tables are those every release of that range
 * accepts; later releases only add to them, e.g. `kvar`/`kVA` and the `reactive_energy` device class). 2024.2 is
 * the oldest release that takes the device's `serial_number` (home-assistant/core#108105; before, "extra keys not
 * allowed" refuses the whole message, core#108069), so unknown keys fail here too (`strict`).
 * - https://www.home-assistant.io/integrations/sensor.mqtt/ (configuration variables of an MQTT sensor)
 * - https://www.home-assistant.io/integrations/mqtt/#supported-abbreviations-in-mqtt-discovery-messages
 * - https://www.home-assistant.io/integrations/mqtt/#discovery-messages (device and origin blocks)
 * - https://developers.home-assistant.io/docs/core/entity/sensor/ (device classes, their units and state classes;
 *   homeassistant/components/sensor/const.py DEVICE_CLASS_UNITS and DEVICE_CLASS_STATE_CLASSES)
 * - homeassistant/components/mqtt/sensor.py validate_sensor_state_and_device_class_config: an invalid unit for the
 *   device class, a state class on a non-numeric device class, or a unit on `timestamp` rejects the payload.
 */
import { z } from "zod";

/** Abbreviation → full key, for the keys a sensor may use (MQTT discovery abbreviations table). */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  avty: "availability",
  avty_mode: "availability_mode",
  avty_t: "availability_topic",
  avty_tpl: "availability_template",
  dev: "device",
  dev_cla: "device_class",
  e: "encoding",
  en: "enabled_by_default",
  ent_cat: "entity_category",
  ent_pic: "entity_picture",
  exp_aft: "expire_after",
  frc_upd: "force_update",
  ic: "icon",
  json_attr_t: "json_attributes_topic",
  json_attr_tpl: "json_attributes_template",
  lrst_val_tpl: "last_reset_value_template",
  o: "origin",
  obj_id: "object_id",
  ops: "options",
  pl_avail: "payload_available",
  pl_not_avail: "payload_not_available",
  stat_cla: "state_class",
  stat_t: "state_topic",
  sug_dsp_prc: "suggested_display_precision",
  uniq_id: "unique_id",
  unit_of_meas: "unit_of_measurement",
  val_tpl: "value_template",
};
const DEVICE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  cns: "connections",
  cu: "configuration_url",
  hw: "hw_version",
  ids: "identifiers",
  mdl: "model",
  mdl_id: "model_id",
  mf: "manufacturer",
  sa: "suggested_area",
  sn: "serial_number",
  sw: "sw_version",
};
const ORIGIN_ABBREVIATIONS: Readonly<Record<string, string>> = { sw: "sw_version", url: "support_url" };

const expand = (o: Record<string, unknown>, table: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [table[k] ?? k, v]));

/** The payload with every abbreviation written out, as Home Assistant reads it. */
export function expandAbbreviations(payload: Record<string, unknown>): Record<string, unknown> {
  const out = expand(payload, ABBREVIATIONS);
  if (out.device && typeof out.device === "object") out.device = expand(out.device as never, DEVICE_ABBREVIATIONS);
  if (out.origin && typeof out.origin === "object") out.origin = expand(out.origin as never, ORIGIN_ABBREVIATIONS);
  return out;
}

const ENERGY = ["Wh", "kWh", "MWh", "MJ", "GJ"];
const VOLUME = ["L", "mL", "m³", "ft³", "CCF", "gal", "fl. oz."];

/** Units each device class accepts in every release of the range (null: no unit). */
export const DEVICE_CLASS_UNITS: Readonly<Record<string, readonly (string | null)[]>> = {
  apparent_power: ["VA"],
  current: ["A", "mA"],
  energy: ENERGY,
  gas: ["m³", "ft³", "CCF"],
  power: ["W", "kW"],
  reactive_power: ["var"],
  voltage: ["V", "mV"],
  volume: VOLUME,
  water: ["m³", "ft³", "CCF", "gal", "L"],
  timestamp: [null],
  date: [null],
  enum: [null],
  battery: ["%"],
  temperature: ["°C", "°F", "K"],
  frequency: ["Hz", "kHz", "MHz", "GHz"],
  power_factor: ["%", null],
  duration: ["d", "h", "min", "s", "ms"],
};

type StateClass = "measurement" | "total" | "total_increasing";
const ALL: readonly StateClass[] = ["measurement", "total", "total_increasing"];
const TOTALS: readonly StateClass[] = ["total", "total_increasing"];

/** State classes allowed per device class (sensor/const.py DEVICE_CLASS_STATE_CLASSES). */
export const DEVICE_CLASS_STATE_CLASSES: Readonly<Record<string, readonly StateClass[]>> = {
  apparent_power: ["measurement"],
  current: ["measurement"],
  energy: TOTALS,
  gas: TOTALS,
  power: ["measurement"],
  reactive_power: ["measurement"],
  voltage: ["measurement"],
  volume: TOTALS,
  water: TOTALS,
  timestamp: [],
  date: [],
  enum: [],
  battery: ["measurement"],
  temperature: ["measurement"],
  frequency: ["measurement"],
  power_factor: ["measurement"],
  duration: ALL,
};

const NON_NUMERIC = new Set(["timestamp", "date", "enum"]);

const availability = z
  .object({
    topic: z.string().min(1),
    payload_available: z.string().optional(),
    payload_not_available: z.string().optional(),
    value_template: z.string().optional(),
  })
  .strict();

const device = z
  .object({
    identifiers: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    connections: z.array(z.tuple([z.string(), z.string()])).optional(),
    configuration_url: z.string().optional(),
    hw_version: z.string().optional(),
    manufacturer: z.string().optional(),
    model: z.string().optional(),
    model_id: z.string().optional(),
    name: z.string().optional(),
    serial_number: z.string().optional(),
    suggested_area: z.string().optional(),
    sw_version: z.string().optional(),
    via_device: z.string().optional(),
  })
  .strict()
  .refine((d) => d.identifiers !== undefined || d.connections !== undefined, "device needs identifiers or connections");

const origin = z
  .object({ name: z.string().min(1), sw_version: z.string().optional(), support_url: z.string().url().optional() })
  .strict();

/** An MQTT sensor discovery payload (full key names) as Home Assistant validates it. */
export const haMqttSensorSchema = z
  .object({
    state_topic: z.string().min(1),
    availability: z.array(availability).min(1).optional(),
    availability_mode: z.enum(["all", "any", "latest"]).optional(),
    availability_topic: z.string().optional(),
    availability_template: z.string().optional(),
    device: device.optional(),
    device_class: z.string().optional(),
    enabled_by_default: z.boolean().optional(),
    encoding: z.string().optional(),
    // A sensor cannot be a `config` entity: Home Assistant refuses it.
    entity_category: z.literal("diagnostic").optional(),
    entity_picture: z.string().optional(),
    expire_after: z.number().int().positive().optional(),
    force_update: z.boolean().optional(),
    icon: z
      .string()
      .regex(/^[a-z0-9-]+:[a-z0-9-]+$/)
      .optional(),
    json_attributes_topic: z.string().optional(),
    json_attributes_template: z.string().optional(),
    last_reset_value_template: z.string().optional(),
    name: z.string().nullable().optional(),
    object_id: z.string().optional(),
    options: z.array(z.string()).optional(),
    origin: origin.optional(),
    payload_available: z.string().optional(),
    payload_not_available: z.string().optional(),
    qos: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    state_class: z.enum(["measurement", "total", "total_increasing"]).optional(),
    suggested_display_precision: z.number().int().nonnegative().optional(),
    unique_id: z.string().optional(),
    unit_of_measurement: z.string().optional(),
    value_template: z.string().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: "custom", message });
    if (p.availability && p.availability_topic) issue("availability and availability_topic are exclusive");
    if (p.device && !p.unique_id) issue("a device needs a unique_id");
    if (p.last_reset_value_template && p.state_class !== "total") issue("last_reset only with state_class total");
    const dc = p.device_class;
    if (dc === undefined) return;
    const units = DEVICE_CLASS_UNITS[dc];
    if (!units) return issue(`device class ${dc} unknown to the table (not accepted by every supported release)`);
    if (!units.includes(p.unit_of_measurement ?? null))
      issue(`unit ${p.unit_of_measurement} is not valid for device class ${dc} (allowed: ${units.join(", ")})`);
    if (NON_NUMERIC.has(dc) && p.state_class) issue(`non-numeric device class ${dc} takes no state class`);
    const classes = DEVICE_CLASS_STATE_CLASSES[dc] ?? [];
    if (p.state_class && !classes.includes(p.state_class))
      issue(`state class ${p.state_class} is not valid for device class ${dc}`);
  });
