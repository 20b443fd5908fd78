/**
 * M-Bus channels (gas, water, heat) of each fresh meter, labelled `channel` and `medium` (EN 13757-3 device type).
 * The index goes to the volume or the energy family by its unit (`mbusIndexMetric`, packages/p1), in base units.
 */
import { type MbusReading, mbusIndexMetric } from "@smarty/p1";
import { MBUS_FAMILIES } from "../catalogue.js";
import type { ReadingCache } from "../reading-cache.js";
import { type Labels, type SampleSink, SnapshotMetric, toBaseUnit } from "../snapshot-metric.js";

type Emit = (m: MbusReading, labels: Labels, sink: SampleSink) => void;

function channelMetric(cache: ReadingCache, family: (typeof MBUS_FAMILIES)[keyof typeof MBUS_FAMILIES], emit: Emit) {
  return new SnapshotMetric(family, (sink) => {
    for (const { reading } of cache.fresh()) {
      for (const m of reading.mbus) {
        emit(m, { meter: reading.meter_id, channel: String(m.channel), medium: m.medium }, sink);
      }
    }
  });
}

function indexEmitter(familyName: string): Emit {
  return (m, labels, sink) => {
    if (m.value === undefined || m.unit === undefined) return;
    const target = mbusIndexMetric(m.unit);
    // An index in a unit without a base-unit mapping is left out rather than exported in the wrong unit.
    if (target?.spec.name !== familyName) return;
    sink(labels, toBaseUnit(m.value, target.scale * target.spec.scale));
  };
}

export function mbusMetrics(cache: ReadingCache): SnapshotMetric[] {
  return [
    channelMetric(cache, MBUS_FAMILIES.volume, indexEmitter(MBUS_FAMILIES.volume.name)),
    channelMetric(cache, MBUS_FAMILIES.energy, indexEmitter(MBUS_FAMILIES.energy.name)),
    channelMetric(cache, MBUS_FAMILIES.captureTime, (m, labels, sink) => {
      const ms = m.time === undefined ? Number.NaN : Date.parse(m.time);
      if (!Number.isNaN(ms)) sink(labels, ms / 1000);
    }),
    channelMetric(cache, MBUS_FAMILIES.valve, (m, labels, sink) => {
      if (m.valve_state !== undefined) sink(labels, m.valve_state);
    }),
    channelMetric(cache, MBUS_FAMILIES.breaker, (m, labels, sink) => {
      if (m.breaker_state !== undefined) sink(labels, m.breaker_state);
    }),
  ];
}
