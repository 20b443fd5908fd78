/**
 * Headless Chromium (Debian package `chromium`) driven by playwright-core, for browser tests of the display.
 *
 * Playwright refuses `--user-data-dir` in `launch()` args, so the browser is started with
 * `launchPersistentContext` on a fresh temp profile that is removed on close: no state leaks between runs.
 * Network extras that would phone home (component updates, sync, QUIC probes) are switched off; tests only
 * ever talk to loopback.
 */
import type { BrowserContext, Page } from "playwright-core";
import { chromium } from "playwright-core";
import { findBinary, tempDir } from "./process.js";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
] as const;

export interface ChromiumOptions {
  /** Device pixel ratio of every page (2 gives sharp screenshots). Default 1. */
  readonly deviceScaleFactor?: number;
  /** Locale for `Intl` and `navigator.language`. Default `en-GB`. */
  readonly locale?: string;
  /** Time zone of the pages. Default `Europe/Luxembourg`. */
  readonly timezoneId?: string;
}

export interface PageOptions {
  readonly width: number;
  readonly height: number;
  readonly colorScheme?: "light" | "dark";
}

export interface Chromium {
  readonly context: BrowserContext;
  /** Opens a page with the given viewport and colour scheme. */
  newPage(options: PageOptions): Promise<Page>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Starts Debian's chromium headless on a fresh profile; fails loudly when it is not installed. */
export async function startChromium(options: ChromiumOptions = {}): Promise<Chromium> {
  const executablePath = findBinary("chromium");
  const profile = tempDir("chromium");
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile.path, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      locale: options.locale ?? "en-GB",
      timezoneId: options.timezoneId ?? "Europe/Luxembourg",
      viewport: { width: 1280, height: 800 },
    });
  } catch (err) {
    profile.remove();
    throw new Error(`chromium did not start (${executablePath})`, { cause: err });
  }
  return {
    context,
    async newPage(o) {
      const page = await context.newPage();
      await page.setViewportSize({ width: o.width, height: o.height });
      await page.emulateMedia({ colorScheme: o.colorScheme ?? "light" });
      return page;
    },
    async close() {
      await context.close();
      profile.remove();
    },
  };
}
