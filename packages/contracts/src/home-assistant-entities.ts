/**
 * What Home Assistant shows for each state topic: name, unit, device and state class, entity category and whether the
 * entity is enabled by default. Electricity rows start from their OBIS registry spec; M-Bus channels (gas, water,
 * heat, cooling) are keyed on the channel's device type (EN 13757-3), never on particular OBIS lines, so every
 * telegram format that fills `reading.mbus` flows in.
 *
 * Units are those every supported Home Assistant (2024.2 and later, docs/home-assistant.md) accepts for the device
 * class (packages/contracts/test/ha-sensor-schema.ts, from homeassistant/components/sensor/const.py):
 * - `kvar`/`kVA` are published as `var`/`VA` through a value template (×1000): older releases accept only `var` for
 *   `reactive_power` and only `VA` for `apparent_power`;
 * - reactive energy (`kvarh`) has no device class: older releases have no `reactive_energy`, and an unknown
 *   device class makes Home Assistant drop the whole discovery message;
 * - the M-Bus volume `m3` (as the meter writes it, DSMR 5.0.2 §6.12, and as the reading JSON keeps it) is `m³`.
 */
import { type MbusReading, mbusDefaultUnit, OBIS_REGISTRY, type ObisDefinition, type Reading } from "@smarty/p1";

export type HaStateClass = "measurement" | "total" | "total_increasing";

/** One Home Assistant sensor on one state topic (a multi-value line gives one entity per value). */
export interface HaEntity {
  /** State topic leaf (`energy_import_kwh`, `mbus1_value`). */
  readonly key: string;
  /** Discovery object id and unique id suffix; the key, or `<key>_<n>` for the n-th value of a line. */
  readonly objectId: string;
  readonly name: string;
  readonly valueTemplate?: string;
  readonly unit?: string;
  readonly deviceClass?: string;
  readonly stateClass?: HaStateClass;
  readonly icon?: string;
  /** `entity_category: diagnostic`: shown under the device's diagnostics, not on dashboards by default. */
  readonly diagnostic: boolean;
  /** false: `enabled_by_default: false`, the user enables it in the entity settings when wanted. */
  readonly enabled: boolean;
}

/** Home Assistant's longest state (homeassistant/const.py MAX_LENGTH_STATE_STATE); longer states are rejected. */
export const HA_MAX_STATE_LENGTH = 255;

/** Scales a kilo value to the base unit; `round` keeps 0.123 kvar at 123.0, not 123.00000000000001. */
const KILO_TEMPLATE = "{{ ((value | float) * 1000) | round(3) }}";
/** Cuts text (long messages carry up to 1024 characters, DSMR 5.0.2 §6.12) to the state limit. */
const TEXT_TEMPLATE = `{{ value[:${HA_MAX_STATE_LENGTH}] }}`;

/** The units published for a registry unit: Home Assistant unit, device class override, value template. */
const UNIT_COMPAT: Readonly<Record<string, { unit: string; template?: string; deviceClass?: string | null }>> = {
  kvar: { unit: "var", template: KILO_TEMPLATE, deviceClass: "reactive_power" },
  kVA: { unit: "VA", template: KILO_TEMPLATE, deviceClass: "apparent_power" },
  kvarh: { unit: "kvarh", deviceClass: null },
  m3: { unit: "m³" },
};

/** Per-value names of multi-value lines (instead of "(value 1)"). */
const VALUE_NAMES: Readonly<Record<string, readonly string[]>> = {
  current_limit_a: ["Current limit, import", "Current limit, export"],
};

const REACTIVE = new Set(["kvar", "kvarh"]);
/** Rarely needed on a dashboard: off until the user enables them. */
const DISABLED_KEYS = new Set([
  "apparent_power_export_kva",
  "short_message",
  "long_message_2",
  "long_message_3",
  "long_message_4",
  "long_message_5",
]);
const DIAGNOSTIC_KEYS = new Set([...DISABLED_KEYS, "breaker_state"]);

/** Entities of an electricity registry row; none for rows without a Home Assistant spec. */
export function registryEntities(def: ObisDefinition): HaEntity[] {
  if (!def.homeAssistant) return [];
  const ha = def.homeAssistant;
  const compat = def.unit ? UNIT_COMPAT[def.unit] : undefined;
  const reactive = def.unit !== undefined && REACTIVE.has(def.unit);
  const deviceClass = compat?.deviceClass === null ? undefined : (compat?.deviceClass ?? ha.device_class);
  const base = {
    key: def.key,
    ...(def.unit ? { unit: compat?.unit ?? def.unit } : {}),
    ...(deviceClass ? { deviceClass } : {}),
    ...(ha.state_class ? { stateClass: ha.state_class } : {}),
    ...(ha.icon ? { icon: ha.icon } : {}),
    diagnostic: reactive || def.kind === "limit" || def.kind === "counter" || DIAGNOSTIC_KEYS.has(def.key),
    enabled: !reactive && !DISABLED_KEYS.has(def.key),
  };
  const template = compat?.template ?? (def.kind === "text" ? TEXT_TEMPLATE : undefined);
  const count = def.values ?? 1;
  if (count === 1) return [{ ...base, objectId: def.key, name: def.description, ...templ(template) }];
  return Array.from({ length: count }, (_, i) => ({
    ...base,
    objectId: `${def.key}_${i + 1}`,
    name: VALUE_NAMES[def.key]?.[i] ?? `${def.description} ${i + 1}`,
    // No multi-value line needs a unit or text template, only the value's position.
    valueTemplate: `{{ value_json[${i}] }}`,
  }));
}

const templ = (t: string | undefined) => (t ? { valueTemplate: t } : {});

const MEDIUM_NAMES: Readonly<Record<MbusReading["medium"], string>> = {
  gas: "Gas",
  water: "Water",
  warm_water: "Warm water",
  heat: "Heat",
  cooling: "Cooling",
  electricity: "Electricity",
  other: "Meter",
};

/** Energy units an M-Bus heat, cooling or electricity meter reports (EN 13757-3 VIF), all valid for `energy`. */
const ENERGY_UNITS = new Set(["kWh", "MWh", "MJ", "GJ"]);

/** The device class of an M-Bus index: by the channel's medium for volumes, by the unit for energy. */
function mbusDeviceClass(medium: MbusReading["medium"], unit: string): string | undefined {
  if (ENERGY_UNITS.has(unit)) return "energy";
  if (unit !== "m3") return undefined;
  if (medium === "gas") return "gas";
  if (medium === "water" || medium === "warm_water") return "water";
  return "volume";
}

/** State key of one field of M-Bus channel n. */
export const mbusStateKey = (channel: number, field: string) => `mbus${channel}_${field}`;

/** Entities of one M-Bus channel, for the fields the channel reports. */
export function mbusEntities(m: MbusReading): HaEntity[] {
  const label = `${MEDIUM_NAMES[m.medium]} (M-Bus ${m.channel})`;
  const entity = (field: string, e: Omit<HaEntity, "key" | "objectId">): HaEntity => {
    const key = mbusStateKey(m.channel, field);
    return { key, objectId: key, ...e };
  };
  const out: HaEntity[] = [];
  if (m.value !== undefined) {
    const unit = m.unit ?? mbusDefaultUnit(m.medium);
    const deviceClass = mbusDeviceClass(m.medium, unit);
    out.push(
      entity("value", {
        name: label,
        unit: UNIT_COMPAT[unit]?.unit ?? unit,
        ...(deviceClass ? { deviceClass } : {}),
        // A meter index only grows (a meter exchange resets it, which total_increasing treats as a new cycle).
        stateClass: "total_increasing",
        diagnostic: false,
        enabled: true,
      }),
    );
  }
  if (m.time !== undefined) {
    out.push(
      entity("time", { name: `${label} capture time`, deviceClass: "timestamp", diagnostic: true, enabled: true }),
    );
  }
  const extra = (field: string, name: string, icon: string) =>
    out.push(entity(field, { name: `${label} ${name}`, icon, diagnostic: true, enabled: false }));
  if (m.valve_state !== undefined) extra("valve_state", "valve position", "mdi:valve");
  if (m.breaker_state !== undefined) extra("breaker_state", "breaker state", "mdi:electric-switch");
  if (m.equipment_id !== undefined) extra("equipment_id", "equipment id", "mdi:identifier");
  extra("device_type", "device type", "mdi:counter");
  return out;
}

/** The invocation counter of encrypted frames (the GCM IV's frame counter, Luxmetering P1 spec v1.1.3). */
export const FRAME_COUNTER_ENTITY: HaEntity = {
  key: "frame_counter",
  objectId: "frame_counter",
  name: "Frame counter",
  icon: "mdi:counter",
  diagnostic: true,
  enabled: false,
};

/** Every entity a reading gives, in registry order, then M-Bus channels, then the frame counter. */
export function readingEntities(reading: Reading, keys?: ReadonlySet<string>): HaEntity[] {
  const out: HaEntity[] = [];
  for (const def of OBIS_REGISTRY) if (!keys || keys.has(def.key)) out.push(...registryEntities(def));
  for (const m of reading.mbus) out.push(...mbusEntities(m));
  if (reading.frame) out.push(FRAME_COUNTER_ENTITY);
  return out;
}
