/**
 * Every message exists in every language, with no extra keys, no empty text, and the same `{placeholders}` as the
 * English one (a translation that drops `{value}` would silently hide a number).
 */
import { describe, expect, it } from "vitest";
import { CATALOGS, LANGUAGES, t } from "../src/index.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const KEYS = Object.keys(CATALOGS.en).sort();

describe("message catalogs", () => {
  it("has one catalog per language: lb, fr, de, en", () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...LANGUAGES].sort());
  });

  for (const lang of LANGUAGES) {
    it(`${lang} has exactly the English keys, none empty, with the same placeholders`, () => {
      const catalog = CATALOGS[lang] as Record<string, string>;
      expect(Object.keys(catalog).sort()).toEqual(KEYS);
      for (const key of KEYS) {
        expect(catalog[key]?.trim(), `${lang} ${key}`).not.toBe("");
        expect(placeholders(catalog[key] ?? ""), `${lang} ${key}`).toEqual(
          placeholders(CATALOGS.en[key as "page.title"]),
        );
      }
    });
  }

  it("keeps unit symbols as they are", () => {
    for (const lang of LANGUAGES) {
      expect(t(lang, "page.power.of_smax", { pct: 40, limit: "6,9" })).toContain("kVA");
      expect(t(lang, "bot.now.voltage", { values: "231" })).toMatch(/ V$/);
    }
  });

  it("uses the household's everyday words", () => {
    expect(t("lb", "page.energy.today")).toBe("Haut");
    expect(t("lb", "page.energy.month")).toBe("Dëse Mount");
    expect(t("lb", "page.energy.cost")).toBe("Käschten");
    expect(t("fr", "page.energy.today")).toBe("Aujourd'hui");
    expect(t("fr", "page.energy.month")).toBe("Ce mois-ci");
    expect(t("fr", "page.energy.cost")).toBe("Coût");
    expect(t("de", "page.energy.today")).toBe("Heute");
    expect(t("de", "page.energy.month")).toBe("Diesen Monat");
    expect(t("de", "page.energy.cost")).toBe("Kosten");
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    expect(t("fr", "bot.cost", { value: "2,35 €" })).toBe("Coût 2,35 €");
    expect(t("de", "bot.cost")).toBe("Kosten {value}");
  });
});
