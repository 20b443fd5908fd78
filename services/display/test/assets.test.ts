import { describe, expect, it } from "vitest";
import { loadAssets, pageWeight } from "../src/assets.js";

const assets = loadAssets();
const text = (path: string) => assets.get(path)?.body.toString("utf8") ?? "";
const files = [...new Set(assets.values())];

describe("the page files (services/display/public)", () => {
  it("weigh less than 100 kB together", () => {
    const weight = pageWeight(assets);
    expect(weight).toBeGreaterThan(5_000);
    expect(weight).toBeLessThan(100_000);
  });

  it("reference nothing outside the display: no CDN, no web font, no external URL", () => {
    for (const a of files) {
      const body = a.body.toString("utf8").replaceAll("http://www.w3.org/2000/svg", "");
      expect({ path: a.path, urls: body.match(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/gi) ?? [] }).toEqual({
        path: a.path,
        urls: [],
      });
      expect(body).not.toMatch(/@import|@font-face|url\(\s*['"]?(https?:|\/\/)/i);
    }
  });

  it("need no inline script, style or event handler, so the strict CSP holds", () => {
    const html = text("/index.html");
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    for (const a of files.filter((f) => f.path.endsWith(".js"))) {
      expect(a.body.toString("utf8")).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/);
    }
  });

  it("only reference files that exist, and every script import resolves", () => {
    const refs = [...text("/index.html").matchAll(/(?:src|href)="(\/[^"]*)"/g)].map((m) => m[1] ?? "");
    for (const a of files.filter((f) => f.path.endsWith(".js"))) {
      for (const m of a.body.toString("utf8").matchAll(/from "\.\/([^"]+)"/g)) refs.push(`/js/${m[1]}`);
    }
    expect(refs.length).toBeGreaterThan(5);
    for (const r of refs) expect(assets.has(r), r).toBe(true);
  });
});

describe("the page's messages (/js/i18n.js)", () => {
  it("is built from @smarty/i18n, in the browser's language unless SMARTY_LANGUAGE fixes one", async () => {
    const free = text("/js/i18n.js");
    expect(free).toContain("export const LANG = null ??");
    const fixed = loadAssets(undefined, "lb").get("/js/i18n.js")?.body.toString("utf8") ?? "";
    expect(fixed).toContain('export const LANG = "lb" ??');
    const m = await import(`data:text/javascript;base64,${Buffer.from(fixed).toString("base64")}`);
    expect(m.t("page.energy.month")).toBe("Dëse Mount");
    expect(m.formatNumber(m.LANG, 2.345, 2)).toBe("2,35");
  });

  it("leaves no English text to the page scripts: they say everything through t()", () => {
    for (const a of files.filter((f) => f.path.startsWith("/js/") && f.path !== "/js/i18n.js")) {
      const body = a.body.toString("utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      // A string literal holding two words is a sentence the user reads (CSS selectors aside): it belongs in the
      // catalogs.
      const words = body.match(/["'`](?![#.])[^"'`\n]*\b[A-Za-z]{2,} [a-z]{2,}\b[^"'`\n]*["'`]/g) ?? [];
      expect({ path: a.path, words }).toEqual({
        path: a.path,
        words: [],
      });
    }
  });
});
