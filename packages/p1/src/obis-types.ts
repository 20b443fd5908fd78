/**
 * Types of the OBIS registry: one row names one value of the P1 telegram once, and everything downstream
 * (reading keys, MQTT state topics, Prometheus metric names, Home Assistant discovery, the display) derives from it.
 *
 * OBIS codes follow IEC 62056-61 as used by DSMR 5.0.2 §6.12 and the Luxmetering P1 spec v1.1.3 §4; the trailing
 * `.255` (VZ) is dropped, as on the wire.
 */

/** What kind of quantity a value is; decides parsing, state class and how statistics treat it. */
export type ObisKind =
  | "energy" // cumulative register that only grows (kWh, kvarh)
  | "power" // instantaneous power (kW, kvar, kVA)
  | "voltage"
  | "current"
  | "counter" // event counter that only grows (power failures, sags)
  | "state" // small integer state (breaker, valve, tariff indicator, device type)
  | "limit" // configured threshold (SMAX, current limit)
  | "text" // octet string, hex-decoded when printable
  | "time" // YYMMDDhhmmssX
  | "version"
  | "log" // structured buffer such as the power failure event log
  | "peak_log"; // e-MUCS 0-0:98.1.0: the peak demand of each of the last 13 months

export type Phase = "l1" | "l2" | "l3";

/** How a value becomes a Prometheus sample; the exporter writes exactly this name. */
export interface MetricSpec {
  /** Full metric name with `smarty_` prefix and base unit, e.g. `smarty_energy_imported_joules_total`. */
  readonly name: string;
  readonly type: "counter" | "gauge";
  /** Factor from the registry unit to the metric's base unit (kWh → J is 3.6e6). */
  readonly scale: number;
  /** Constant labels of this row's series (`phase`, `tariff`). */
  readonly labels?: Readonly<Record<string, string>>;
  /** For multi-value lines (`1-1:31.4.0(040*A)(-040*A)`): which value, 0-based. */
  readonly valueIndex?: number;
  /** Export the absolute value (the meter signs the export-side current limit negative). */
  readonly absolute?: boolean;
  /** HELP text: one sentence naming the OBIS code and the meter unit. */
  readonly help: string;
}

/** Home Assistant MQTT discovery fields (https://www.home-assistant.io/integrations/sensor/). */
export interface HomeAssistantSpec {
  readonly device_class?: string;
  readonly state_class?: "measurement" | "total" | "total_increasing";
  readonly icon?: string;
}

/** How the encoder writes the value, so simulated telegrams look like a real meter's. */
export interface WireFormat {
  /** Digits before the decimal point, zero padded. */
  readonly int: number;
  /** Digits after the decimal point. */
  readonly dec: number;
}

export interface ObisDefinition {
  /** OBIS code as sent, without `.255`; `0-n:…` rows of M-Bus channels use `n`. */
  readonly code: string;
  /** Stable snake_case key: the named value in the reading and the MQTT state topic leaf. */
  readonly key: string;
  readonly description: string;
  readonly kind: ObisKind;
  /** Unit of the key's value after normalisation (what the reading's named value is in). */
  readonly unit?: string;
  readonly phase?: Phase;
  /** The octet string is hex on the wire (Lux 0-0:42.0.0, DSMR 0-0:96.1.1, long messages). */
  readonly hexText?: boolean;
  readonly metric?: MetricSpec | readonly MetricSpec[];
  readonly homeAssistant?: HomeAssistantSpec;
  readonly wire?: WireFormat;
  /** Number of values on the line when more than one. */
  readonly values?: number;
  /** The line is `(capture time)(value*unit)`, the value second (e-MUCS P1 v1.7.1 `1-0:1.6.0`). */
  readonly timed?: boolean;
  /**
   * DSMR 2.2/3.0 M-Bus index `0-n:24.3.0(time)(00)(60)(1)(0-n:24.2.1)(m3)` whose value follows on the next line as
   * `(00124.477)` (DSMR 3.0 P1 §5.4; still sent by Kaifa and Iskra MT382 meters).
   */
  readonly valueOnNextLine?: boolean;
}

/** M-Bus device types (EN 13757-3 table 3) that the meters report on `0-n:24.1.0`. */
export type MbusMedium = "gas" | "water" | "heat" | "warm_water" | "cooling" | "electricity" | "other";
