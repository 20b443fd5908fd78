/**
 * Facts about the reading as a whole: the meter's identity as an `_info` metric (naming.md `foobar_build_info`),
 * the telegram's own time, the meter's text messages, the configured power class and energy prices (per meter, so
 * a panel joins them `on (meter)` like the power class).
 */
import { OBIS_REGISTRY, readingText, readingTimeMs } from "@smarty/p1";
import { READING_FAMILIES } from "../catalogue.js";
import type { ReadingCache } from "../reading-cache.js";
import { SnapshotMetric, toBaseUnit } from "../snapshot-metric.js";

const LONG_MESSAGE_PREFIX = "0-0:96.13.";
/** DSMR 5.0.2 §6.12 allows 1024 characters for 0-0:96.13.0; longer text is cut so one label cannot grow unbounded. */
export const MAX_MESSAGE_CHARS = 1024;

/** Registry rows of the text messages (0-0:96.13.0 long message, .1 short message, .2–.5 Lux extra slots). */
const MESSAGE_ROWS = OBIS_REGISTRY.filter((d) => d.code.startsWith(LONG_MESSAGE_PREFIX)).map((def) => ({
  key: def.key,
  slot: def.code.slice(LONG_MESSAGE_PREFIX.length),
}));

export interface ReadingInfoOptions {
  /** Subscribed power class in watts. */
  readonly powerClassWatts: number;
  /** SMARTY_PRICE_PER_KWH and SMARTY_EXPORT_PRICE_PER_KWH in EUR per kWh; undefined: no series. */
  readonly importPricePerKwh?: number | undefined;
  readonly exportPricePerKwh?: number | undefined;
}

/** EUR per kWh → EUR per joule, the base unit of the energy counters (1 kWh = 3.6e6 J). */
const perJoule = (perKwh: number) => toBaseUnit(perKwh, 1 / 3.6e6);

export function readingInfoMetrics(cache: ReadingCache, options: ReadingInfoOptions): SnapshotMetric[] {
  return [
    new SnapshotMetric(READING_FAMILIES.meterInfo, (sink) => {
      for (const { reading } of cache.fresh()) {
        const labels = {
          meter: reading.meter_id,
          version: reading.version ?? "",
          system_title: reading.frame?.system_title ?? "",
        };
        sink(labels, 1);
      }
    }),
    new SnapshotMetric(READING_FAMILIES.timestamp, (sink) => {
      for (const { reading } of cache.fresh()) {
        const ms = readingTimeMs(reading);
        if (ms !== undefined) sink({ meter: reading.meter_id }, ms / 1000);
      }
    }),
    new SnapshotMetric(READING_FAMILIES.longMessage, (sink) => {
      for (const { reading } of cache.fresh()) {
        for (const row of MESSAGE_ROWS) {
          const message = readingText(reading, row.key);
          if (message)
            sink({ meter: reading.meter_id, slot: row.slot, message: message.slice(0, MAX_MESSAGE_CHARS) }, 1);
        }
      }
    }),
    new SnapshotMetric(READING_FAMILIES.powerClass, (sink) => {
      for (const { reading } of cache.fresh()) sink({ meter: reading.meter_id }, options.powerClassWatts);
    }),
    priceMetric(READING_FAMILIES.importPrice, cache, options.importPricePerKwh),
    priceMetric(READING_FAMILIES.exportPrice, cache, options.exportPricePerKwh),
  ];
}

function priceMetric(
  family: (typeof READING_FAMILIES)["importPrice" | "exportPrice"],
  cache: ReadingCache,
  perKwh: number | undefined,
): SnapshotMetric {
  return new SnapshotMetric(family, (sink) => {
    if (perKwh === undefined) return;
    const value = perJoule(perKwh);
    for (const { reading } of cache.fresh()) sink({ meter: reading.meter_id }, value);
  });
}
