/**
 * Simulated Lux readings for tests, made by the testkit reading builder (named values → telegram → parseTelegram, so
 * every value went through the wire format a real meter uses). Energy grows at a fixed power so rates are
 * predictable: import 3.6 kW (1 Wh per second), export 0.72 kW.
 */
import type { Reading } from "@smarty/p1";
import { buildReading, type ReadingSpec } from "@smarty/testkit/reading-builder";

export interface SimulatedReadingOptions {
  readonly meterId: string;
  /** Telegram time, ms since epoch. */
  readonly timeMs: number;
  /** Seconds since the simulation started; registers grow with it. */
  readonly elapsedS: number;
  /** Text of 0-0:96.13.0; empty by default, like most real telegrams. */
  readonly longMessage?: string;
}

export function simulatedSpec(o: SimulatedReadingOptions): ReadingSpec {
  const t = o.elapsedS;
  const wave = Math.sin(t / 7);
  return {
    header: "Lux5\\253663629_D",
    meterId: o.meterId,
    time: o.timeMs,
    base: "none",
    // The encoder writes no 0-n:96.3.10 line; a Lux meter sends one per channel (Lux spec v1.1.3 Appendix A).
    extraLines: ["0-1:96.3.10(0)"],
    values: {
      energy_import_kwh: 1000 + t * 0.001,
      energy_export_kwh: 200 + t * 0.0002,
      reactive_energy_import_kvarh: 50 + t * 0.0001,
      reactive_energy_export_kvarh: 70 + t * 0.00005,
      power_import_kw: 3.6 + 0.2 * wave,
      power_export_kw: 0.72,
      reactive_power_import_kvar: 0.3,
      reactive_power_export_kvar: 0.1,
      power_limit_kva: 27.6,
      apparent_power_import_kva: 3.7,
      apparent_power_export_kva: 0.75,
      current_limit_a: [40, -40],
      breaker_state: 1,
      power_failures: 12 + Math.floor(t / 30),
      voltage_sags_l1: 3,
      voltage_sags_l2: 1 + Math.floor(t / 20),
      voltage_sags_l3: 0,
      voltage_swells_l1: 0,
      voltage_swells_l2: 2,
      voltage_swells_l3: 0,
      long_message: o.longMessage ?? "",
      long_message_2: "",
      long_message_3: "",
      long_message_4: "",
      long_message_5: "",
      voltage_l1_v: 231 + wave,
      voltage_l2_v: 229.5 - wave,
      voltage_l3_v: 232.1,
      current_l1_a: 8,
      current_l2_a: 5,
      current_l3_a: 3,
      power_import_l1_kw: 1.8,
      power_import_l2_kw: 1.1,
      power_import_l3_kw: 0.7,
      power_export_l1_kw: 0,
      power_export_l2_kw: 0,
      power_export_l3_kw: 0.72,
      reactive_power_import_l1_kvar: 0.1,
      reactive_power_import_l2_kvar: 0.1,
      reactive_power_import_l3_kvar: 0.1,
      reactive_power_export_l1_kvar: 0,
      reactive_power_export_l2_kvar: 0.05,
      reactive_power_export_l3_kvar: 0.05,
    },
    mbus: [
      {
        channel: 1,
        device_type: 3,
        equipment_id: "FLO1823701203",
        value: 1234.567 + t * 0.001,
        unit: "m3",
        time: o.timeMs - 60_000,
        valve_state: 1,
      },
      {
        channel: 2,
        device_type: 7,
        equipment_id: "WAT0000000042",
        value: 88.1 + t * 0.0005,
        unit: "m3",
        time: o.timeMs - 60_000,
      },
      {
        channel: 3,
        device_type: 4,
        equipment_id: "HEAT000000007",
        value: 12.345 + t * 0.001,
        unit: "GJ",
        time: o.timeMs - 60_000,
      },
    ],
  };
}

/** The reading a Lux meter with these values would produce; channel 1 also reports its breaker (Lux 0-1:96.3.10). */
export function simulatedReading(o: SimulatedReadingOptions): Reading {
  return buildReading(simulatedSpec(o));
}
