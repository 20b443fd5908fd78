/**
 * Where the sun is over Luxembourg, for the PV profile: solar elevation from the NOAA general solar position
 * equations (fractional year, equation of time, declination), then clear-sky global horizontal irradiance with
 * the Haurwitz model (GHI = 1098 · cos Z · e^(−0.057 / cos Z) W/m²). Good to a degree or so, which is plenty for
 * a load curve.
 */

/** Luxembourg City. */
export const LUXEMBOURG = { latitude: 49.61, longitude: 6.13 } as const;

const RAD = Math.PI / 180;
const DAY_MS = 86_400_000;

/** Cosine of the solar zenith angle at a UTC instant (negative when the sun is below the horizon). */
export function cosZenith(utcMs: number, latitude: number = LUXEMBOURG.latitude, longitude = LUXEMBOURG.longitude) {
  const d = new Date(utcMs);
  const startOfYear = Date.UTC(d.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((utcMs - startOfYear) / DAY_MS);
  const hours = d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600;
  const g = ((2 * Math.PI) / 365) * (dayOfYear + (hours - 12) / 24);
  const eqTimeMin =
    229.18 *
    (0.000075 +
      0.001868 * Math.cos(g) -
      0.032077 * Math.sin(g) -
      0.014615 * Math.cos(2 * g) -
      0.040849 * Math.sin(2 * g));
  const decl =
    0.006918 -
    0.399912 * Math.cos(g) +
    0.070257 * Math.sin(g) -
    0.006758 * Math.cos(2 * g) +
    0.000907 * Math.sin(2 * g) -
    0.002697 * Math.cos(3 * g) +
    0.00148 * Math.sin(3 * g);
  const trueSolarMin = hours * 60 + eqTimeMin + 4 * longitude;
  const hourAngle = (trueSolarMin / 4 - 180) * RAD;
  const lat = latitude * RAD;
  return Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(hourAngle);
}

/** Solar elevation in degrees. */
export function solarElevation(utcMs: number): number {
  return 90 - Math.acos(Math.max(-1, Math.min(1, cosZenith(utcMs)))) / RAD;
}

/** Clear-sky global horizontal irradiance in W/m² (Haurwitz), 0 at night. */
export function clearSkyIrradiance(utcMs: number): number {
  const cz = cosZenith(utcMs);
  if (cz <= 0.01) return 0;
  return 1098 * cz * Math.exp(-0.057 / cz);
}

/**
 * Fraction of peak power a south-facing, 35°-tilted array delivers under a clear sky: the tilt recovers part of
 * the low-sun loss, and system losses (inverter, wiring, temperature) take about 15 %.
 */
export function clearSkyPvFraction(utcMs: number): number {
  const ghi = clearSkyIrradiance(utcMs);
  if (ghi === 0) return 0;
  const tiltGain = 1 + 0.35 * (1 - cosZenith(utcMs));
  return Math.min(1, (ghi / 1000) * tiltGain * 0.85);
}
