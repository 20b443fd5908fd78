/** The page's module gives the same text as the package itself: it is the same code. */
import { describe, expect, it } from "vitest";
import { browserScript, formatDate, formatMoney, formatNumber, formatWeekdayDate, t } from "../src/index.js";

async function load(source: string) {
  return (await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`)) as {
    LANG: string;
    t: (key: string, params?: Record<string, unknown>) => string;
    formatNumber: typeof formatNumber;
    formatDate: typeof formatDate;
    formatMoney: typeof formatMoney;
    formatWeekdayDate: typeof formatWeekdayDate;
  };
}

describe("browserScript", () => {
  it("speaks the fixed language and formats exactly as the package does", async () => {
    const m = await load(browserScript("fr"));
    expect(m.LANG).toBe("fr");
    expect(m.t("page.power.title")).toBe(t("fr", "page.power.title"));
    expect(m.t("page.updated", { ago: "il y a 3 s" })).toBe("mis à jour il y a 3 s");
    for (const lang of ["lb", "fr", "de", "en"] as const) {
      expect(m.formatNumber(lang, 12345.678, 3)).toBe(formatNumber(lang, 12345.678, 3));
      expect(m.formatDate(lang, 2026, 12, 1)).toBe(formatDate(lang, 2026, 12, 1));
      expect(m.formatWeekdayDate(lang, 4, 3, 3)).toBe(formatWeekdayDate(lang, 4, 3, 3));
      expect(m.formatMoney(lang, -2.5, "EUR")).toBe(formatMoney(lang, -2.5, "EUR"));
    }
  });

  it("carries only the page's messages", async () => {
    const source = browserScript();
    expect(source).toContain("page.power.title");
    expect(source).not.toContain("bot.help");
    expect(source).not.toContain("report.subject.day");
    const m = await load(source);
    expect(["lb", "fr", "de", "en"]).toContain(m.LANG);
  });
});
