/**
 * fast-check arbitraries for telegram specs: every numeric registry row with a value inside its wire format,
 * printable ids, a time inside the two-digit-year range, and random M-Bus channels. Also the values the
 * parser must give back for such a spec, derived from the spec alone.
 */
import fc from "fast-check";
import { type MbusSpec, mbusMedium, OBIS_REGISTRY, type ObisDefinition, type TelegramSpec } from "../../src/index.js";

/** Kinds whose rows carry numbers written with the row's wire format. */
const NUMERIC_KINDS = new Set(["energy", "power", "voltage", "current", "counter", "state", "limit"]);

export const NUMERIC_ROWS: readonly ObisDefinition[] = OBIS_REGISTRY.filter(
  (d) => NUMERIC_KINDS.has(d.kind) && d.wire !== undefined,
);
export const HEX_TEXT_ROWS: readonly ObisDefinition[] = OBIS_REGISTRY.filter((d) => d.kind === "text" && d.hexText);

/** A number the wire format can carry exactly: an integer mantissa over 10^dec; signed for multi-value limits. */
function wireNumber(def: ObisDefinition): fc.Arbitrary<number> {
  const wire = def.wire ?? { int: 1, dec: 3 };
  const max = 10 ** (wire.int + wire.dec) - 1;
  const min = def.values !== undefined && def.values > 1 ? -max : 0;
  return fc.integer({ min, max }).map((k) => (wire.dec === 0 ? k : k / 10 ** wire.dec));
}

/** Printable ASCII without parentheses (ids are hex on the wire, but stay readable in failure output). */
export const printable = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

/** Whole seconds between 2001 and 2069: the range a two-digit DSMR year expresses (YY 70-99 is a placeholder). */
export const dsmrTimeMs = fc
  .integer({ min: Date.UTC(2001, 0, 1) / 1000, max: Date.UTC(2069, 11, 31) / 1000 })
  .map((s) => s * 1000);

const mbusSpec = (channel: number): fc.Arbitrary<MbusSpec> =>
  fc
    .record(
      {
        channel: fc.constant(channel),
        device_type: fc.constantFrom(3, 7, 4),
        equipment_id: printable(20),
        configured: fc.boolean(),
        value: fc.integer({ min: 0, max: 99_999_999 }).map((k) => k / 1000),
        time: dsmrTimeMs,
        valve_state: fc.constantFrom(0, 1, 2),
      },
      { requiredKeys: ["channel", "device_type", "configured", "value", "time"] },
    )
    .map(({ configured, value, time, device_type, ...rest }) => ({
      ...rest,
      device_type,
      ...(configured ? { value, time, unit: mbusMedium(device_type) === "heat" ? "GJ" : "m3" } : {}),
    }));

/** A random telegram spec: a subset of the registry rows, a time, and up to four M-Bus channels. */
export const telegramSpec: fc.Arbitrary<TelegramSpec> = fc
  .record({
    header: fc.integer({ min: 0, max: 999_999_999 }).map((n) => `Lux5\\25${n}_D`),
    time: fc.option(dsmrTimeMs, { nil: undefined }),
    numbers: fc.record(
      Object.fromEntries(
        NUMERIC_ROWS.map((d) => [
          d.key,
          d.values !== undefined && d.values > 1
            ? fc.array(wireNumber(d), { minLength: d.values, maxLength: d.values })
            : wireNumber(d),
        ]),
      ) as Record<string, fc.Arbitrary<number | number[]>>,
      { requiredKeys: [] },
    ),
    texts: fc.record(Object.fromEntries(HEX_TEXT_ROWS.map((d) => [d.key, printable(40)])), { requiredKeys: [] }),
    version: fc.option(fc.constantFrom("42", "50"), { nil: undefined }),
    channels: fc.subarray([1, 2, 3, 4]),
  })
  .chain(({ header, time, numbers, texts, version, channels }) =>
    fc.tuple(...channels.map(mbusSpec)).map((mbus) => ({
      header,
      ...(time === undefined ? {} : { time }),
      values: { ...numbers, ...texts, ...(version ? { p1_version: version } : {}) },
      mbus,
    })),
  );

/** What the reading's `mbus` must hold for a spec: configured channels and channels with an id, by channel. */
export function expectedMbus(spec: TelegramSpec): Record<string, unknown>[] {
  return [...(spec.mbus ?? [])]
    .sort((a, b) => a.channel - b.channel)
    .filter((m) => m.value !== undefined || (m.equipment_id ?? "") !== "")
    .map((m) => ({
      channel: m.channel,
      device_type: m.device_type,
      medium: mbusMedium(m.device_type),
      ...((m.equipment_id ?? "") !== "" ? { equipment_id: m.equipment_id } : {}),
      ...(m.value !== undefined ? { value: m.value, unit: m.unit, timeMs: m.time } : {}),
      ...(m.valve_state !== undefined ? { valve_state: m.valve_state } : {}),
    }));
}
