/**
 * Unit normalisation. Lux meters send kWh/kW; Austrian and some DSMR meters send Wh/W (esphome-libs vector
 * `/EST5…`); the reading's named values are always in the registry unit, while `obis` keeps what was sent.
 */

const FACTORS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  kWh: { kWh: 1, Wh: 0.001, MWh: 1000 },
  kvarh: { kvarh: 1, varh: 0.001 },
  kW: { kW: 1, W: 0.001 },
  kvar: { kvar: 1, var: 0.001 },
  kVA: { kVA: 1, VA: 0.001 },
  V: { V: 1 },
  A: { A: 1 },
  m3: { m3: 1 },
  GJ: { GJ: 1, MJ: 0.001 },
};

/** Converts `value` from `from` to `to`; undefined when the units are not convertible. */
export function convertUnit(value: number, from: string | undefined, to: string): number | undefined {
  if (from === undefined || from === to) return value;
  const f = FACTORS[to]?.[from];
  if (f === undefined) return undefined;
  // Round to 9 significant decimals so 6545766 Wh gives 6545.766 kWh, not 6545.766000000001.
  return Math.round(value * f * 1e9) / 1e9;
}
