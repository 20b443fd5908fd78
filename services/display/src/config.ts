/**
 * Display configuration from the environment (docs/configuration.md "display"). Parsed once at start by
 * `loadConfig`; a bad value stops the service with exit 78 naming the variable.
 */
import { LANGUAGES } from "@smarty/i18n";
import { commonEnv, envDuration, envInt, envList, envPort, loadConfig, priceEnv } from "@smarty/service-kit";
import { z } from "zod";

export const DEFAULT_DISPLAY_PORT = 8080;

/** A positive decimal number such as `7`, `7.5` or `0.2921`; `what` names it in the error. */
const positiveNumber = (what: string, max: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const m = /^\s*(\d+(?:[.,]\d+)?)\s*$/.exec(s);
      const n = m?.[1] ? Number(m[1].replace(",", ".")) : Number.NaN;
      if (!(n > 0 && n <= max)) {
        ctx.addIssue({ code: "custom", message: `'${s}' is not ${what}` });
        return z.NEVER;
      }
      return n;
    });

export const displayEnv = z
  .object({
    ...commonEnv,
    /** The stack's one price: the cost estimate while the notifier publishes no cost. */
    ...priceEnv,
    DISPLAY_PORT: envPort(DEFAULT_DISPLAY_PORT),
    DISPLAY_HOST: z
      .string()
      .default("0.0.0.0")
      .refine((s) => /^[0-9a-fA-F.:]+$|^localhost$/.test(s), "must be an IP address to listen on"),
    /** Host names the page is served under besides IP literals and localhost (DNS rebinding guard). */
    DISPLAY_ALLOWED_HOSTS: envList()
      .transform((l) => l.map((h) => h.toLowerCase().replace(/\.$/, "")))
      .refine(
        (l) => l.every((h) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(h)),
        "must be a comma list of host names without port, like smarty.local,pi.home.arpa",
      ),
    /** Event streams one client address may hold open (the hub has 64 for everyone). */
    DISPLAY_MAX_STREAMS_PER_CLIENT: envInt(8, 1, 64),
    /** No reading for this long marks a meter stale (the Smarty sends one every 10 s). */
    DISPLAY_STALE_AFTER: envDuration("30s").refine((ms) => ms >= 500, "must be at least 500ms"),
    DISPLAY_BASIC_AUTH_USER: z
      .string()
      .optional()
      .refine((s) => s === undefined || /^[^:\s]{1,64}$/.test(s), "must be 1-64 characters without ':' or spaces"),
    DISPLAY_BASIC_AUTH_PASSWORD: z
      .string()
      .optional()
      .refine((s) => s === undefined || s.length >= 8, "must be at least 8 characters"),
    /** Contracted power class ("puissance de référence") in kW; the meter's SMAX is used when unset. */
    DISPLAY_POWER_CLASS_KW: positiveNumber("a power in kW (e.g. 3, 7 or 12)", 1000),
    /** Deprecated: SMARTY_PRICE_PER_KWH replaces it (still read, with a warning, when that is unset). */
    DISPLAY_PRICE_PER_KWH: positiveNumber("a price per kWh (e.g. 0.2921)", 100),
    /** The page's language (lb, fr, de, en); unset: each browser's own (navigator.languages). */
    SMARTY_LANGUAGE: z
      .string()
      .optional()
      .transform((s) => s?.trim().toLowerCase() || undefined)
      .pipe(z.enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(", ")}` }).optional()),
    DISPLAY_CURRENCY: z
      .string()
      .default("EUR")
      .refine((s) => /^[A-Z]{3}$/.test(s), "must be an ISO 4217 code such as EUR"),
  })
  .superRefine((c, ctx) => {
    // Either both halves of basic auth or neither: a user without a password would lock everyone out.
    if ((c.DISPLAY_BASIC_AUTH_USER === undefined) !== (c.DISPLAY_BASIC_AUTH_PASSWORD === undefined)) {
      const missing =
        c.DISPLAY_BASIC_AUTH_USER === undefined ? "DISPLAY_BASIC_AUTH_USER" : "DISPLAY_BASIC_AUTH_PASSWORD";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "set both DISPLAY_BASIC_AUTH_USER and DISPLAY_BASIC_AUTH_PASSWORD, or neither",
      });
    }
  });

export type DisplayConfig = z.infer<typeof displayEnv>;

export function loadDisplayConfig(env: Readonly<Record<string, string | undefined>> = process.env): DisplayConfig {
  return loadConfig(displayEnv, env);
}

/**
 * The price per kWh of the cost estimate: SMARTY_PRICE_PER_KWH, else the deprecated DISPLAY_PRICE_PER_KWH. The
 * warning, when there is one, is for the log at start.
 */
export function displayPrice(c: DisplayConfig): { readonly perKwh: number | undefined; readonly warning?: string } {
  if (c.DISPLAY_PRICE_PER_KWH === undefined) return { perKwh: c.SMARTY_PRICE_PER_KWH };
  if (c.SMARTY_PRICE_PER_KWH !== undefined) {
    return {
      perKwh: c.SMARTY_PRICE_PER_KWH,
      warning: "DISPLAY_PRICE_PER_KWH is deprecated and ignored: SMARTY_PRICE_PER_KWH is set; remove it from .env",
    };
  }
  return {
    perKwh: c.DISPLAY_PRICE_PER_KWH,
    warning:
      "DISPLAY_PRICE_PER_KWH is deprecated: rename it to SMARTY_PRICE_PER_KWH in .env (Grafana and the notifier read it too)",
  };
}
