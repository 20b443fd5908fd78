/**
 * The page in a real headless Chromium (Debian package) against the display fed through a real mosquitto:
 * it loads under its own Content-Security-Policy with nothing but loopback requests, shows a new reading live,
 * shows the stale state when the (manual) clock moves past DISPLAY_STALE_AFTER, and takes the README
 * screenshots at phone and landscape tablet sizes, light and dark: into a temporary folder, or into docs/images/
 * when `npm run docs:images` runs it (helpers/screenshots.ts).
 *
 * The ten minutes of history behind the screenshots come from @smarty/simulator (a household and a PV house);
 * the values asserted come from telegrams written here, read off their text.
 */
import { join } from "node:path";
import { topics } from "@smarty/contracts";
import { parseTelegram } from "@smarty/p1";
import type { ManualClock } from "@smarty/service-kit";
import { MeterSimulator } from "@smarty/simulator";
import { type Chromium, startChromium } from "@smarty/testkit";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, type Harness, startHarness } from "../helpers/harness.js";
import { ingestHealth } from "../helpers/ingest-health.js";
import { luxReading } from "../helpers/readings.js";
import { type ScreenshotDir, screenshotDir } from "../helpers/screenshots.js";
import { cost, statistics } from "../helpers/statistics.js";

/** 14 May 2026, 12:20 in Luxembourg (CEST): lunch cooking in one house, the sun on the other's panels. */
const START = Date.UTC(2026, 4, 14, 10, 20, 0);
const HOUSE = "SAG1030700012701";
const SOLAR = "SAG1030700048213";
const HISTORY = 60;

let h: Harness;
let browser: Chromium;
let images: ScreenshotDir;
const requests: string[] = [];
const problems: string[] = [];

async function publishHistory(): Promise<void> {
  const house = new MeterSimulator({ seed: 7, start: START, profile: "three-phase", meterId: HOUSE });
  const solar = new MeterSimulator({ seed: 2, start: START, profile: "pv", meterId: SOLAR });
  for (let i = 0; i < HISTORY; i++) {
    if (i > 0) (h.clock as ManualClock).advance(10_000);
    await h.publishReading(parseTelegram(house.next().telegram));
    await h.publishReading(parseTelegram(solar.next().telegram));
  }
  const houseStats = statistics(
    HOUSE,
    {
      energy_import_kwh: 9.84,
      energy_export_kwh: 0,
      cost: cost(3.12),
      peak_15min_import_kw: 6.41,
      mbus: [{ channel: 1, medium: "gas", consumption: 1.84, unit: "m3" }],
    },
    { energy_import_kwh: 214.6, energy_export_kwh: 0, cost: cost(71.85), peak_15min_import_kw: 8.9 },
  );
  await h.publish(topics.statistics(BASE, HOUSE), JSON.stringify(houseStats), true);
  const solarStats = statistics(
    SOLAR,
    { energy_import_kwh: 3.1, energy_export_kwh: 14.7, cost: cost(0.42), peak_15min_import_kw: 2.1 },
    { energy_import_kwh: 96.2, energy_export_kwh: 301.5, cost: cost(-9.6), peak_15min_import_kw: 4.4 },
  );
  await h.publish(topics.statistics(BASE, SOLAR), JSON.stringify(solarStats), true);
}

async function open(width: number, height: number, colorScheme: "light" | "dark", meter = HOUSE): Promise<Page> {
  const page = await browser.newPage({ width, height, colorScheme });
  page.on("request", (r) => requests.push(r.url()));
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(m.text());
  });
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(`${h.url}/#meter=${meter}`);
  await page.locator("body[data-state='live']").waitFor({ timeout: 5000 });
  await expect.poll(() => page.locator("#e-day-cost").textContent(), { timeout: 5000 }).not.toBe("—");
  return page;
}

beforeAll(async () => {
  h = await startHarness({ DISPLAY_POWER_CLASS_KW: "12", DISPLAY_STALE_AFTER: "30s" });
  [browser] = await Promise.all([startChromium(), publishHistory()]);
  images = screenshotDir();
});

afterAll(async () => {
  await browser?.close();
  await h?.stop();
  images?.cleanup();
});

describe("the page in Chromium", () => {
  it("renders at phone and tablet sizes in light and dark mode, and the screenshots are saved", async () => {
    for (const [name, width, height, meter] of [
      ["tablet", 1280, 800, HOUSE],
      ["phone", 390, 844, SOLAR],
    ] as const) {
      for (const scheme of ["light", "dark"] as const) {
        const page = await open(width, height, scheme, meter);
        expect(await page.locator("#meters button").count()).toBe(2);
        expect(await page.locator("#phase-rows .ph").allTextContents()).toEqual(["L1", "L2", "L3"]);
        await page.screenshot({ path: join(images.path, `display-${name}-${scheme}.png`), fullPage: name === "phone" });
        await page.close();
      }
    }
  });

  it("loads only from the display itself, within 100 kB, with no CSP violation or script error", async () => {
    const page = await open(390, 844, "light");
    // Evaluated as text: the test is compiled without the DOM library.
    const total = (await page.evaluate(`
      performance.getEntriesByType("navigation")[0].decodedBodySize +
      performance.getEntriesByType("resource")
        .filter((e) => !e.name.endsWith("/events"))
        .reduce((n, e) => n + e.decodedBodySize, 0)
    `)) as number;
    expect(total).toBeGreaterThan(5_000);
    expect(total).toBeLessThan(100_000);
    await page.close();
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(`${h.url}/`))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("shows a new reading live, then the stale state when no reading follows", async () => {
    const page = await open(1280, 800, "light");
    // 1-0:1.7.0(02.345*kW), 1-0:2.7.0(00.000*kW): 2.345 kW from the grid, shown with two decimals.
    await h.publishReading(luxReading({ meterId: HOUSE, values: { power_import_kw: 2.345, power_export_kw: 0 } }));
    await expect.poll(() => page.locator("#power-value").textContent(), { timeout: 5000 }).toBe("2.35");
    expect(await page.locator("#power-unit").textContent()).toBe("kW");
    expect(await page.locator("#power-dir").textContent()).toContain("from the grid");
    // 1-0:1.7.0(00.000*kW), 1-0:2.7.0(00.870*kW): 870 W to the grid.
    await h.publishReading(luxReading({ meterId: HOUSE, values: { power_import_kw: 0, power_export_kw: 0.87 } }));
    await expect.poll(() => page.locator("#power-value").textContent(), { timeout: 5000 }).toBe("870");
    expect(await page.locator("#power-dir").textContent()).toContain("to the grid");

    (h.clock as ManualClock).advance(30_000);
    await page.locator("body[data-state='stale']").waitFor({ timeout: 5000 });
    expect(await page.locator("#alerts").textContent()).toContain("No new reading");
    expect(await page.locator("#conn-text").textContent()).toBe("stale");
    await page.close();
  });

  it("shows the reader's wrong-key and cable states with their hints", async () => {
    const page = await browser.newPage({ width: 390, height: 844, colorScheme: "light" });
    await page.goto(`${h.url}/#meter=${HOUSE}`);
    await page.locator("body[data-state='stale']").waitFor({ timeout: 5000 });
    const health = topics.health(BASE, "ingest", "main");
    await h.publish(health, JSON.stringify(ingestHealth("wrong_key")), true);
    await expect
      .poll(() => page.locator("#alerts .alert.bad strong").textContent(), { timeout: 5000 })
      .toBe("Wrong P1 key");
    await page.screenshot({ path: join(images.path, "display-phone-wrong-key.png") });
    const hint = "Bytes arrive but no frame starts: is the cable's data line inverted?";
    await h.publish(health, JSON.stringify(ingestHealth("no_frames", hint)), true);
    await expect
      .poll(() => page.locator("#alerts .alert.bad").textContent(), { timeout: 5000 })
      .toBe(`Cable problem${hint}`);
    await h.publish(topics.status(BASE, "ingest", "main"), "offline", true);
    await expect.poll(() => page.locator("#alerts").textContent(), { timeout: 5000 }).toContain("Reader offline");
    await page.close();
  });
});
