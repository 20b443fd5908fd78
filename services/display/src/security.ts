/**
 * Response hardening and optional HTTP Basic authentication (RFC 7617).
 *
 * The Content-Security-Policy allows nothing but this origin: no inline script or style, no external host, no
 * framing (CSP Level 3). The page is built to work under it: scripts and styles are files, and the page only sets
 * styles through the CSSOM, which `style-src 'self'` permits.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { NextFunction, Request, Response } from "express";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()",
};

/** Sets the security headers on every response. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set(HEADERS);
  next();
}

export interface BasicAuthCredentials {
  readonly user: string;
  readonly password: string;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * Requires the credentials on every path except `exempt` (the container health check). Both sides are hashed
 * first so the comparison is constant-time whatever the lengths.
 */
export function basicAuth(credentials: BasicAuthCredentials, exempt: readonly string[] = []) {
  const expected = digest(`${credentials.user}:${credentials.password}`);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (exempt.includes(req.path)) {
      next();
      return;
    }
    const header = req.headers.authorization ?? "";
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    const given = m?.[1] ? Buffer.from(m[1], "base64").toString("utf8") : "";
    if (m && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res
      .status(401)
      .set("WWW-Authenticate", 'Basic realm="smarty display", charset="UTF-8"')
      .type("text/plain")
      .send("authentication required\n");
  };
}

/**
 * The host name of a Host header (RFC 9110 §7.2): lower-cased, without port and trailing dot; an IPv6 literal keeps
 * no brackets. Undefined for an empty or malformed header.
 */
export function hostName(header: string | undefined): string | undefined {
  const h = (header ?? "").trim().toLowerCase();
  if (h === "") return undefined;
  if (h.startsWith("[")) {
    const m = /^\[([0-9a-f:.]+(?:%[\w.-]+)?)\](?::\d{1,5})?$/.exec(h);
    return m?.[1];
  }
  const m = /^([^:\s]+?)\.?(?::\d{1,5})?$/.exec(h);
  return m?.[1];
}

/**
 * Serves only requests addressed to an IP literal, `localhost` or one of `allowed`. A web page can point its own
 * DNS name at the Pi (DNS rebinding) and then read the API as "same origin"; its requests still carry that name in
 * Host, so refusing unknown names closes the hole. 421 Misdirected Request (RFC 9110 §15.5.20): this server is not
 * the one for that name.
 */
export function hostGuard(allowed: readonly string[]) {
  const names = new Set(["localhost", ...allowed.map((n) => n.toLowerCase().replace(/\.$/, ""))]);
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = hostName(req.headers.host);
    if (host === undefined) {
      res.status(400).type("text/plain").send("missing or malformed Host header\n");
      return;
    }
    if (isIP(host) !== 0 || names.has(host)) {
      next();
      return;
    }
    res
      .status(421)
      .type("text/plain")
      .send(`'${host}' is not an allowed host name; add it to DISPLAY_ALLOWED_HOSTS (docs/display.md)\n`);
  };
}
