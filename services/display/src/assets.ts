/**
 * The page's static files (`services/display/public/`), read once at start into memory. The folder is found next
 * to the package whether the code runs from `src/` (tests), `dist/` (`npm start`) or the Docker image, which copies
 * `public/` beside `dist/`. Only files that exist at start are ever served, so no request path reaches the disk.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { browserScript, type Language } from "@smarty/i18n";

/** `services/display/public/`, resolved from this module's location (src/ or dist/). */
export const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml; charset=utf-8",
  ".webmanifest": "application/manifest+json; charset=utf-8",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};

export interface Asset {
  readonly path: string;
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

export class AssetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AssetError";
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function asset(path: string, body: Buffer, type: string): Asset {
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
  return { path, body, type, etag };
}

/**
 * Reads every servable file under `dir`, keyed by URL path (`/app.css`); `/` is `index.html`. `/js/i18n.js`, the
 * page's messages and formats, is built from @smarty/i18n: fixed to `language` (SMARTY_LANGUAGE) or, without one,
 * choosing from the browser's languages.
 */
export function loadAssets(dir = DEFAULT_PUBLIC_DIR, language?: Language): Map<string, Asset> {
  let files: string[];
  try {
    files = walk(dir);
  } catch (err) {
    throw new AssetError(`page files not found in ${dir}`, { cause: err });
  }
  const assets = new Map<string, Asset>();
  for (const file of files) {
    const type = TYPES[extname(file)];
    if (!type) continue;
    const path = `/${relative(dir, file).split(sep).join("/")}`;
    assets.set(path, asset(path, readFileSync(file), type));
  }
  assets.set("/js/i18n.js", asset("/js/i18n.js", Buffer.from(browserScript(language)), TYPES[".js"] ?? ""));
  const index = assets.get("/index.html");
  if (!index) throw new AssetError(`index.html missing in ${dir}`);
  assets.set("/", index);
  return assets;
}

/** Bytes of everything the page loads (each file once), for the page-weight budget. */
export function pageWeight(assets: ReadonlyMap<string, Asset>): number {
  return [...new Set(assets.values())].reduce((n, a) => n + a.body.length, 0);
}
