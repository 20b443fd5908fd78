/**
 * Exporter configuration from the environment (docs/configuration.md "exporter"). Parsed once at start by
 * `loadConfig`; a bad value stops the service with exit 78 naming the variable.
 */
import { commonEnv, envDuration, envPort, loadConfig, priceEnv } from "@smarty/service-kit";
import { z } from "zod";

/** 9464 is free of the well-known exporter ports that matter on a Pi (node_exporter 9100, Prometheus 9090). */
export const DEFAULT_EXPORTER_PORT = 9464;

/**
 * The reference power ("puissance de référence") of a Luxembourg household connection since the 2025 network
 * tariff (ILR): 3, 7 or 12 kW are the standard classes; 3 kW is the smallest and the default here.
 */
export const DEFAULT_POWER_CLASS_KW = 3;

const powerClass = z
  .string()
  .default(String(DEFAULT_POWER_CLASS_KW))
  .transform((s, ctx) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(kw)?\s*$/i.exec(s);
    const kw = m ? Number(m[1]) : Number.NaN;
    if (!(kw > 0 && kw <= 1000)) {
      ctx.addIssue({ code: "custom", message: `'${s}' is not a power class in kW (e.g. 3, 7, 12 or 7kW)` });
      return z.NEVER;
    }
    return kw * 1000;
  });

export const exporterEnv = z.object({
  ...commonEnv,
  /** Exported as smarty_price_*_euros_per_joule, so Grafana computes cost from the one price setting. */
  ...priceEnv,
  EXPORTER_PORT: envPort(DEFAULT_EXPORTER_PORT),
  EXPORTER_HOST: z
    .string()
    .default("0.0.0.0")
    .refine((s) => /^[0-9a-fA-F.:]+$|^localhost$/.test(s), "must be an IP address to listen on"),
  EXPORTER_STALE_AFTER: envDuration("60s").refine((ms) => ms >= 1000, "must be at least 1s"),
  /** Parsed into watts. */
  EXPORTER_POWER_CLASS: powerClass,
});

export type ExporterConfig = z.infer<typeof exporterEnv>;

export function loadExporterConfig(env: Readonly<Record<string, string | undefined>> = process.env): ExporterConfig {
  return loadConfig(exporterEnv, env);
}
