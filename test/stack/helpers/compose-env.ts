/**
 * The environment docker-compose.yml gives a container, computed without Docker: compose interpolation
 * (`${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `$$`) applied to the service's `environment`
 * with a given `.env`. Lets tests start the real services as local processes configured exactly as compose would
 * configure them, with only host names and ports swapped for loopback ones.
 */
import { type ComposeFile, readCompose } from "./repo.js";

export class InterpolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InterpolationError";
  }
}

/** One value with compose's rules; `vars` plays the role of `.env` (and the shell). */
export function interpolate(value: string, vars: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (match, name, colon, op, arg) => {
    if (match === "$$") return "$";
    const v = vars[name as string];
    const missing = v === undefined || (colon === ":" && v === "");
    if (op === "-") return missing ? (arg as string) : (v as string);
    if (op === "?") {
      if (missing) throw new InterpolationError(`${name}: ${arg || "required"}`);
      return v as string;
    }
    return v ?? "";
  });
}

/** The container environment of `service` as compose computes it with `vars` as `.env`. */
export function composeEnvironment(
  service: string,
  vars: Readonly<Record<string, string | undefined>>,
  compose: ComposeFile = readCompose(),
): Record<string, string> {
  const svc = compose.services[service];
  if (!svc) throw new Error(`no service ${service} in docker-compose.yml`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.environment ?? {})) out[k] = interpolate(String(v ?? ""), vars);
  return out;
}

/**
 * What a service's loadConfig sees from that environment: empty values count as unset (service-kit) and
 * `<NAME>_FILE` variables are resolved by loadConfig itself, so both are left out.
 */
export function configInput(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k, v]) => v !== "" && !k.endsWith("_FILE")));
}
