#!/usr/bin/env node
/**
 * `npm run docs:demo-image`: the picture of what a newcomer sees after `make demo-history` — the real demo
 * (scripts/demo.mjs with a simulated past week, the notifier on a local redis-server) photographed in Debian's
 * Chromium once the page's Today and This month are filled. Writes docs/images/demo-tablet.png. Needs a build
 * (`npm run build`), redis-server and chromium; about a minute.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startChromium } from "@smarty/testkit";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "docs", "images", "demo-tablet.png");
const DEADLINE_MS = 180_000;

const demo = spawn(
  process.execPath,
  [join(ROOT, "scripts", "demo.mjs"), "--history", "7d", "--display-port", "0", "--no-prometheus"],
  { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
);
let output = "";
demo.stdout.on("data", (chunk) => {
  output += chunk;
});

/** The display's URL as the demo prints it. */
async function displayUrl() {
  const until = Date.now() + DEADLINE_MS;
  while (Date.now() < until) {
    const m = /In Home Display\s+(http:\/\/localhost:\d+)/.exec(output);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the demo printed no display URL:\n${output}`);
}

/** Waits until the page's Today row has an energy figure from the notifier. */
async function filled(base) {
  const until = Date.now() + DEADLINE_MS;
  while (Date.now() < until) {
    try {
      const { meters } = await (await fetch(`${base}/api/meters`)).json();
      const id = meters[0]?.id;
      if (id) {
        const now = await (await fetch(`${base}/api/meters/${encodeURIComponent(id)}/now`)).json();
        if (now?.today?.import_kwh > 0 && now?.month?.baseload_w > 0) return;
      }
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("the demo's page never showed today's energy");
}

let code = 0;
try {
  const base = await displayUrl();
  await filled(base);
  const browser = await startChromium({ deviceScaleFactor: 1 });
  try {
    const page = await browser.newPage({ width: 1280, height: 800 });
    await page.goto(base, { waitUntil: "networkidle" });
    await page.waitForFunction(() => document.getElementById("e-day-imp")?.textContent?.trim() !== "—");
    await page.screenshot({ path: OUT });
    process.stdout.write(`docs:demo-image: ${OUT}\n`);
  } finally {
    await browser.close();
  }
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  code = 1;
} finally {
  demo.kill("SIGINT");
  await new Promise((r) => demo.once("exit", r));
}
process.exit(code);
