/**
 * A day of simulated meter registers defined by quarter-hour energies: the import register at any instant is the
 * start value plus the energy of the whole quarters before it plus a linear share of the current quarter.
 * Tests state the quarter energies and the expected totals by hand; this only produces the readings.
 */
const Q = 15 * 60_000;

export interface Plan {
  readonly start: number;
  readonly importStart: number;
  readonly exportStart: number;
  /** Import energy of the quarter starting at `t` (kWh). */
  readonly importQuarter: (t: number) => number;
  readonly exportQuarter: (t: number) => number;
}

function registerAt(start: number, base: number, quarter: (t: number) => number, t: number): number {
  let v = base;
  let q = start;
  for (; q + Q <= t; q += Q) v += quarter(q);
  if (t > q) v += (quarter(q) * (t - q)) / Q;
  return v;
}

export const importAt = (p: Plan, t: number) => registerAt(p.start, p.importStart, p.importQuarter, t);
export const exportAt = (p: Plan, t: number) => registerAt(p.start, p.exportStart, p.exportQuarter, t);

/** Instants from `from` to `to` inclusive every `stepMs`. */
export function times(from: number, to: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += stepMs) out.push(t);
  return out;
}
