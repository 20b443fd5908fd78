/**
 * The golden /metrics file is produced by a script from our own code, so its values are checked here against the
 * telegram text by hand: each expected number below is the telegram line's value times the unit factor, worked
 * out independently of the exporter (kWh × 3 600 000 = J, kW × 1000 = W, kvarh × 3 600 000 = var·s).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseExposition } from "./exposition.js";
import { EXPECTED_METRICS } from "./golden-inputs.js";

const LUX = 'meter="SAG1030790002574"'; // lux_spec_v113_example (fed encrypted)
const LOG = 'meter="SAG1030700012701"'; // meterlogger_lux_2026
const ISK = 'meter="E0044007382246019"'; // dsmrparser_v5_two_mbus
const EST = 'meter="EST5_253710000_A"'; // esphomelibs_encrypted_packet (Wh units)
// Lux times are local with S = UTC+2, W = UTC+1.
const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) =>
  Date.UTC(y, mo - 1, d, h, mi, s) / 1000;

const CHECKS: [string, number, string][] = [
  [`smarty_energy_imported_joules_total{${LUX}}`, 92_350_800, "1-0:1.8.0(000025.653*kWh)"],
  [`smarty_energy_exported_joules_total{${LUX}}`, 144_000, "1-0:2.8.0(000000.040*kWh)"],
  [
    `smarty_reactive_energy_exported_volt_ampere_reactive_seconds_total{${LUX}}`,
    229_611_600,
    "1-0:4.8.0(000063.781*kvarh)",
  ],
  [`smarty_power_imported_watts{${LUX}}`, 5, "1-0:1.7.0(00.005*kW)"],
  [`smarty_power_limit_volt_amperes{${LUX}}`, 69_000, "0-0:17.0.0(069.0*kVA)"],
  [`smarty_apparent_power_imported_volt_amperes{${LUX}}`, 21, "1-0:9.7.0(00.021*kVA)"],
  [`smarty_current_limit_imported_amperes{${LUX}}`, 100, "1-1:31.4.0(100*A)(-063*A)"],
  [`smarty_current_limit_exported_amperes{${LUX}}`, 63, "1-1:31.4.0(100*A)(-063*A)"],
  [`smarty_power_failures_total{${LUX}}`, 99, "0-0:96.7.21(00099)"],
  [`smarty_voltage_sags_total{${LUX},phase="l1"}`, 40, "1-0:32.32.0(00040)"],
  [`smarty_voltage_volts{${LUX},phase="l1"}`, 233, "1-0:32.7.0(233.0*V)"],
  [`smarty_mbus_volume_cubic_meters_total{${LUX},channel="4",medium="gas"}`, 28.103, "0-4:24.2.1(…)(00028.103*m3)"],
  [`smarty_mbus_valve_state{${LUX},channel="4",medium="gas"}`, 1, "0-4:24.4.0(1)"],
  [
    `smarty_mbus_capture_timestamp_seconds{${LUX},channel="1",medium="gas"}`,
    utc(2020, 7, 6, 8, 31, 40),
    "200706103140S",
  ],
  [`smarty_reading_timestamp_seconds{${LUX}}`, utc(2020, 7, 6, 8, 41, 57), "0-0:1.0.0(200706104157S)"],
  [`smarty_energy_exported_joules_total{${LOG}}`, 405_874_908_000, "1-0:2.8.0(112743.030*kWh)"],
  [`smarty_power_exported_watts{${LOG}}`, 897, "1-0:2.7.0(00.897*kW)"],
  [`smarty_phase_power_exported_watts{${LOG},phase="l3"}`, 277, "1-0:62.7.0(00.277*kW)"],
  [`smarty_phase_reactive_power_exported_volt_amperes_reactive{${LOG},phase="l2"}`, 65, "1-0:44.7.0(00.065*kvar)"],
  [`smarty_mbus_volume_cubic_meters_total{${LOG},channel="1",medium="gas"}`, 14_239.771, "0-1:24.2.1(…)(14239.771*m3)"],
  [`smarty_tariff_energy_imported_joules_total{${ISK},tariff="1"}`, 7_668_414_000, "1-0:1.8.1(002130.115*kWh)"],
  [`smarty_long_power_failures_total{${ISK}}`, 3, "0-0:96.7.9(00003)"],
  [`smarty_voltage_sags_total{${ISK},phase="l3"}`, 192, "1-0:72.32.0(00192)"],
  [`smarty_tariff_active{${ISK}}`, 1, "0-0:96.14.0(0001)"],
  [`smarty_mbus_volume_cubic_meters_total{${ISK},channel="2",medium="gas"}`, 246.138, "0-2:24.2.1(…)(00246.138*m3)"],
  [`smarty_reading_timestamp_seconds{${ISK}}`, utc(2020, 4, 26, 20, 33, 25), "0-0:1.0.0(200426223325S)"],
  [`smarty_energy_imported_joules_total{${EST}}`, 23_564_757_600, "1-0:1.8.0(006545766*Wh)"],
  [`smarty_power_imported_watts{${EST}}`, 286, "1-0:1.7.0(000000286*W)"],
  [
    `smarty_reactive_energy_imported_volt_ampere_reactive_seconds_total{${EST}}`,
    2_689_200,
    "1-0:3.8.0(000000747*varh)",
  ],
  ['smarty_energy_imported_joules_total{meter="SAG1030700114004"}', 44_442_000_000, "1-0:1.8.0(012345.000*kWh)"],
  ['smarty_power_imported_watts{meter="12345678901234567890123456789012"}', 3074, "1-0:1.7.0(03.074*kW)"],
  ['smarty_ingest_frames_total{ingest_instance="main",result="ok"}', 359, "ingest-health.json frames_ok"],
];

describe("golden /metrics values", () => {
  const samples = parseExposition(readFileSync(EXPECTED_METRICS, "utf8"));

  it.each(CHECKS)("%s is %d (%s)", (series, expected) => {
    expect(samples.get(series)).toBe(expected);
  });

  it("has the system title only for the encrypted frames", () => {
    expect(samples.get(`smarty_meter_info{${LUX},version="42",system_title="53595354454d4944"}`)).toBe(1);
    expect(samples.get(`smarty_meter_info{${LOG},version="42",system_title=""}`)).toBe(1);
  });

  it("leaves out the unconfigured M-Bus channels (dummy time, no unit)", () => {
    const channels = [...samples.keys()].filter((k) => k.startsWith(`smarty_mbus_volume_cubic_meters_total{${LUX}`));
    expect(channels).toHaveLength(2);
    expect([...samples.keys()].some((k) => k.includes(`${ISK},channel="1"`))).toBe(false);
  });
});
