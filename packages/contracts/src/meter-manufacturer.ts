/**
 * The meter's manufacturer, for Home Assistant's device card. The identification line of a telegram starts with the
 * three-letter manufacturer code (DSMR 5.0.2 §6.4: `/XXX5Identification`, a FLAG id registered with the DLMS User
 * Association); the fourth character is the baud rate, not part of the code. Luxembourg's meters send the DSO's
 * `Lux` instead (Luxmetering P1 spec v1.1.3), but their logical device name (`SAG1030700012701`) starts with the
 * manufacturer's FLAG id, so that one is used there.
 */

/** Known FLAG ids of P1 meters in Luxembourg, Belgium and the Netherlands; upper case. */
const FLAG_IDS: Readonly<Record<string, string>> = {
  SAG: "Sagemcom",
  KFM: "Kaifa",
  ISK: "Iskraemeco",
  KAM: "Kamstrup",
  LGB: "Landis+Gyr",
  LGZ: "Landis+Gyr",
  ELS: "Elster",
  XMX: "Xemex",
  ZIV: "ZIV",
};

/** Header codes that name a grid operator, not a manufacturer. */
const OPERATOR_CODES = new Set(["LUX"]);

const code = (s: string | undefined): string | undefined => {
  const m = /^\/?([A-Za-z]{3})/.exec(s ?? "");
  return m ? m[1]! : undefined;
};

/**
 * Manufacturer of the meter from the telegram header (`Lux5\253694471_M`, `KFM5KAIFA-METER`, `ISk5\2MT382-1000`)
 * and meter id; the code itself when it is not in the table, a plain fallback when there is none.
 */
export function meterManufacturer(header: string | undefined, meterId?: string): string {
  let c = code(header);
  if (c === undefined || OPERATOR_CODES.has(c.toUpperCase())) c = code(meterId) ?? c;
  if (c === undefined) return "Unknown (P1 meter)";
  return FLAG_IDS[c.toUpperCase()] ?? c;
}
