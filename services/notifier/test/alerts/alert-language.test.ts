/** Alert messages in the household's language (SMARTY_LANGUAGE): the rules write them, English by default. */
import type { Reading } from "@smarty/p1";
import { describe, expect, it } from "vitest";
import type { ReadingContext, Snapshot } from "../../src/alerts/reading-context.js";
import { eventSignals } from "../../src/alerts/rules-events.js";
import { ingestSignal, silenceSignal, untrustedSignal } from "../../src/alerts/rules-liveness.js";
import { powerSignals } from "../../src/alerts/rules-power.js";
import { qualitySignals } from "../../src/alerts/rules-quality.js";
import { defaultFileConfig } from "../../src/config-file.js";
import type { Registers, Sample } from "../../src/statistics/registers.js";

const config = defaultFileConfig();
const last: Snapshot = {
  power_failures: 2,
  long_power_failures: 0,
  sags: [0, 0, 0],
  swells: [0, 0, 0],
  breaker: null,
  mbus_valve: {},
  mbus_breaker: {},
  messages: {},
};
const sample: Sample = {
  t: Date.parse("2026-12-03T18:00:00+01:00"),
  reg: {
    power_failures: 3,
    long_power_failures: 0,
    sags: [1, 0, 0],
    swells: [0, 0, 0],
    import_kwh: null,
  } as unknown as Registers,
  voltages: [262.4, 230, 231],
  power_import_kw: 9.5,
  power_limit_kva: null,
};

function ctx(language?: "fr" | "lb"): ReadingContext {
  return {
    meterId: "SAG1",
    reading: {} as Reading,
    sample,
    quarter: undefined,
    last,
    rules: { ...config.alerts.rules, power_import_high: { ...config.alerts.rules.power_import_high, enabled: true } },
    tariff: config.tariff,
    isActive: () => false,
    ...(language ? { language } : {}),
  };
}

const messages = (c: ReadingContext) => [...powerSignals(c), ...qualitySignals(c)].map((s) => s.message);

describe("alert messages", () => {
  it("stay English without a language", () => {
    expect(messages(ctx())).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Import power 9\.50 kW is above \d+\.\d kW$/),
        "The meter counted 1 power failure(s)",
        "Voltage sag on L1 (1 new)",
        "L1 voltage 262.4 V is outside 230 V ± 10 %",
      ]),
    );
  });

  it("are French with SMARTY_LANGUAGE=fr, decimal comma included", () => {
    expect(messages(ctx("fr"))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Puissance consommée de 9,50 kW, au-dessus de \d+,\d kW$/),
        "Le compteur a compté 1 coupure(s) de courant",
        "Creux de tension sur L1 (1 nouveau(x))",
        "Tension L1 de 262,4 V hors de 230 V ± 10 %",
      ]),
    );
  });

  it("are Luxembourgish for a silent meter", () => {
    expect(silenceSignal(config.alerts.rules, 120_000, "lb")?.message).toBe("Keng Moossung vum Zieler zënter 2m");
    expect(silenceSignal(config.alerts.rules, 120_000)?.message).toBe("No reading from the meter for 2m");
  });

  it("name breaker states and the grid operator in German", () => {
    const c = { ...ctx(), language: "de" as const, last: { ...last, breaker: 1 } };
    const reading = { breaker_state: 0, long_message: "Wartung am 12. Juni", mbus: [] } as unknown as Reading;
    expect(eventSignals({ ...c, reading }).map((s) => s.message)).toEqual([
      "Der Zählerschalter wechselte von 1 (geschlossen) auf 0 (offen)",
      "Nachricht vom Netzbetreiber: Wartung am 12. Juni",
    ]);
    const health = { instance: "main", state: "wrong_key", authentication_failures: 3 } as never;
    expect(ingestSignal(config.alerts.rules, health, "fr")?.message).toBe(
      "Les télégrammes échouent à l'authentification (3 jusqu'ici) : la clé P1 (SMARTY_KEY) est-elle correcte ?",
    );
  });

  it("tell of refused input in Luxembourgish", () => {
    const health = { instance: "main", plaintext_rejected: 2, clock_suspect_readings: 0 } as never;
    expect(untrustedSignal(config.alerts.rules, health, undefined, "lb")?.message).toBe(
      "Den Ingest huet net vertrauenswierdeg Donnéeën ofgewisen: 2 Telegramm(er) ouni Verschlësselung trotz P1-Schlëssel, 0 Moossung(en) mat onméiglecher Zielerzäit",
    );
  });
});
