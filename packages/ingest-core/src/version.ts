/**
 * Version and home page of the ingest, from this package's package.json (shipped next to dist/ in the image,
 * scripts/docker-assemble.mjs): Home Assistant shows them as the `origin` of the discovered entities.
 */
import { createRequire } from "node:module";

const pkg = createRequire(import.meta.url)("../package.json") as { version?: string; homepage?: string };

export const INGEST_VERSION: string | undefined = pkg.version;
/** Where users find help; published only when the package names one. */
export const INGEST_HOMEPAGE: string | undefined = pkg.homepage;
