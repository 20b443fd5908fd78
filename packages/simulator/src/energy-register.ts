/**
 * An exact energy register. The meter shows whole Wh (kWh with 3 decimals, Lux spec v1.1.3 §4: `000025.653*kWh`)
 * and never rounds up, so the displayed value is the true energy truncated. Keeping whole units plus an integer
 * remainder (in unit·ms) makes every step exact: integer power × integer milliseconds never loses a bit, so the
 * register cannot drift from the integrated power however long the simulation runs.
 */

/** Unit·milliseconds in one unit-hour (Wh from W·ms, varh from var·ms, litres from l/h·ms). */
const MS_PER_HOUR = 3_600_000;

export class EnergyRegister {
  /** Whole unit-hours (Wh, varh) — what the meter shows, before the ÷1000 of kWh. */
  private whole: number;
  /** Remainder in unit·ms, 0 ≤ rest < 3 600 000. */
  private rest: number;

  /** @param initialWhole starting value in whole Wh; @param initialRest sub-Wh part in W·ms. */
  constructor(initialWhole: number, initialRest = 0) {
    if (!Number.isSafeInteger(initialWhole) || initialWhole < 0) throw new RangeError("initial register must be ≥ 0");
    this.whole = initialWhole;
    this.rest = Math.max(0, Math.min(MS_PER_HOUR - 1, Math.floor(initialRest)));
  }

  /** Adds `power` (integer W or var, ≥ 0) held for `ms` milliseconds. */
  add(power: number, ms: number): void {
    if (!Number.isInteger(power) || power < 0)
      throw new RangeError(`power must be a non-negative integer, got ${power}`);
    if (!Number.isInteger(ms) || ms < 0) throw new RangeError(`duration must be a non-negative integer, got ${ms}`);
    const sum = this.rest + power * ms;
    this.whole += Math.floor(sum / MS_PER_HOUR);
    this.rest = sum % MS_PER_HOUR;
  }

  /** As the meter writes it, in kilo-units with 3 decimals (truncated, never ahead of the truth). */
  get displayed(): number {
    return this.whole / 1000;
  }

  /** Whole unit-hours shown by the meter. */
  get wholeUnits(): number {
    return this.whole;
  }

  /** The true value in kilo-units, with the sub-Wh remainder. */
  get exact(): number {
    return (this.whole + this.rest / MS_PER_HOUR) / 1000;
  }
}
