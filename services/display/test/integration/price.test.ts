/**
 * One price for the whole stack: the display's cost estimate comes from SMARTY_PRICE_PER_KWH (the variable the
 * exporter and the notifier read too), over a real mosquitto. The old DISPLAY_PRICE_PER_KWH still works for a
 * release, with a deprecation warning in the log.
 */
import { Writable } from "node:stream";
import { topics } from "@smarty/contracts";
import { waitFor } from "@smarty/testkit";
import { fixtureReading } from "@smarty/testkit/reading-builder";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { MeterView } from "../../src/index.js";
import { BASE, type Harness, startHarness } from "../helpers/harness.js";
import { statistics } from "../helpers/statistics.js";

const METER = "SAG1030700012701";
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

/** Publishes today's statistics without a cost (no notifier tariff) and returns the page's "today". */
async function today(harness: Harness): Promise<MeterView["today"]> {
  await harness.publishReading(fixtureReading("meterlogger_lux_2026"));
  const s = statistics(METER, { energy_import_kwh: 12.5 }, { energy_import_kwh: 100 });
  await harness.publish(topics.statistics(BASE, METER), JSON.stringify(s), true);
  return waitFor(
    async () => {
      const res = await fetch(`${harness.url}/api/meters/${METER}/now`);
      const view = (await res.json()) as MeterView;
      return view.today ?? undefined;
    },
    5000,
    "today's statistics at the display",
  );
}

describe("display price", () => {
  it("estimates today's cost from SMARTY_PRICE_PER_KWH", async () => {
    const log = capturingLogger();
    h = await startHarness({ SMARTY_PRICE_PER_KWH: "0.2921" }, { logger: log.logger });
    // 12.5 kWh × 0.2921 €/kWh = 3.65125 €, rounded to cents.
    expect(await today(h)).toMatchObject({ import_kwh: 12.5, cost: 3.65, currency: "EUR", cost_estimated: true });
    expect(log.lines.filter((l) => l.level >= 40)).toEqual([]);
  });

  it("still reads the deprecated DISPLAY_PRICE_PER_KWH, and says so in the log", async () => {
    const log = capturingLogger();
    h = await startHarness({ DISPLAY_PRICE_PER_KWH: "0.2" }, { logger: log.logger });
    expect(await today(h)).toMatchObject({ cost: 2.5, cost_estimated: true });
    expect(log.lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      expect.stringMatching(/DISPLAY_PRICE_PER_KWH is deprecated: rename it to SMARTY_PRICE_PER_KWH/),
    ]);
  });

  it("prefers SMARTY_PRICE_PER_KWH when both are set", async () => {
    const log = capturingLogger();
    h = await startHarness({ DISPLAY_PRICE_PER_KWH: "0.2", SMARTY_PRICE_PER_KWH: "0.3" }, { logger: log.logger });
    expect(await today(h)).toMatchObject({ cost: 3.75 });
    expect(log.lines.some((l) => l.level === 40 && /ignored/.test(l.msg))).toBe(true);
  });
});
