/**
 * Each service's environment schema, read from `services/<svc>/src/config.ts`: every exported zod object whose keys
 * are all environment variable names. The stack's env checks compare these keys with `.env.example` and with what
 * docker-compose.yml passes to each container.
 */
import { repoPath } from "./repo.js";

export const SERVICES = ["ingest", "exporter", "display", "notifier"] as const;
export type Service = (typeof SERVICES)[number];

interface ZodLike {
  readonly shape: Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>;
  safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

function isEnvSchema(v: unknown): v is ZodLike {
  if (typeof v !== "object" || v === null || !("shape" in v) || !("safeParse" in v)) return false;
  const shape = (v as ZodLike).shape;
  const keys = typeof shape === "object" && shape !== null ? Object.keys(shape) : [];
  return keys.length > 0 && keys.every((k) => ENV_NAME.test(k));
}

export interface ServiceEnv {
  readonly service: Service;
  /** Variable name → its schema field. */
  readonly fields: ReadonlyMap<string, ZodLike["shape"][string]>;
  /** The exported schemas themselves (with their cross-field refinements). */
  readonly schemas: readonly ZodLike[];
}

/** Imports the service's config module; throws when it has no exported env schema. */
export async function loadServiceEnv(service: Service): Promise<ServiceEnv> {
  const mod = (await import(repoPath("services", service, "src", "config.ts"))) as Record<string, unknown>;
  const fields = new Map<string, ZodLike["shape"][string]>();
  const schemas: ZodLike[] = [];
  for (const value of Object.values(mod)) {
    if (!isEnvSchema(value)) continue;
    schemas.push(value);
    for (const [k, f] of Object.entries(value.shape)) fields.set(k, f);
  }
  if (fields.size === 0) throw new Error(`services/${service}/src/config.ts exports no zod object of env variables`);
  return { service, fields, schemas };
}

/** The value a variable takes when unset, or undefined when it is required or has no default. */
export function defaultOf(env: ServiceEnv, name: string): { required: boolean; value: unknown } {
  const field = env.fields.get(name);
  if (!field) throw new Error(`${env.service} does not read ${name}`);
  const r = field.safeParse(undefined);
  return { required: !r.success, value: r.success ? r.data : undefined };
}
