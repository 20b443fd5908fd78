/**
 * One list of settings for the user: `.env.example` documents exactly the variables the services' config schemas
 * read plus those docker-compose.yml interpolates, each with a comment; and compose hands every container exactly
 * its own service's variables (least privilege: no container sees another one's secrets).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { composeEnvironment, configInput, interpolate } from "./helpers/compose-env.js";
import { parseEnvExample } from "./helpers/env-example.js";
import { type ComposeService, interpolatedVariables, readCompose, readRepoFile } from "./helpers/repo.js";
import { defaultOf, loadServiceEnv, SERVICES, type Service, type ServiceEnv } from "./helpers/service-schemas.js";

const compose = readCompose();
const composeText = readRepoFile("docker-compose.yml");
const example = parseEnvExample();
const documented = new Set(example.map((e) => e.name));
const schemas = new Map<Service, ServiceEnv>();

/** Compose service → the service whose schema its container reads. */
const CONTAINERS: Record<string, Service> = {
  ingest: "ingest",
  "ingest-demo": "ingest",
  exporter: "exporter",
  display: "display",
  notifier: "notifier",
};

/** Schema variables compose deliberately does not pass, with the reason. */
const NOT_PASSED: Record<string, string> = {
  MQTT_CA_FILE: "the compose broker is plain MQTT on the private network",
};

/** Variables read by Node itself rather than by a schema, allowed in a container's environment. */
const RUNTIME: Record<string, readonly string[]> = {
  notifier: ["NODE_EXTRA_CA_CERTS", "NODE_OPTIONS"],
  display: ["NODE_OPTIONS"],
  exporter: ["NODE_OPTIONS"],
  ingest: ["NODE_OPTIONS"],
  "ingest-demo": ["NODE_OPTIONS"],
};

/** Compose-only variables without `${...}` use in the file (read by compose itself). */
const COMPOSE_ONLY = ["COMPOSE_PROFILES"];

beforeAll(async () => {
  for (const s of SERVICES) schemas.set(s, await loadServiceEnv(s));
});

const schemaKeys = () => new Set([...schemas.values()].flatMap((s) => [...s.fields.keys()]));
/** `<NAME>_FILE` for a variable some schema reads: covered by the one note on secrets as files. */
const isFileVariant = (name: string) => name.endsWith("_FILE") && schemaKeys().has(name.slice(0, -5));

describe(".env.example", () => {
  it("documents exactly the variables the services read and the compose file uses", () => {
    const fromCompose = [...interpolatedVariables(composeText)].filter((v) => !isFileVariant(v));
    const expected = new Set([...schemaKeys(), ...fromCompose, ...COMPOSE_ONLY]);
    expect([...documented].filter((v) => !expected.has(v)).sort(), "documented but read by nobody").toEqual([]);
    expect([...expected].filter((v) => !documented.has(v)).sort(), "read but not documented").toEqual([]);
  });

  it("explains every variable with a comment right above it, once", () => {
    for (const e of example) expect(e.comment.length, `${e.name} (line ${e.line})`).toBeGreaterThan(10);
    expect(example.length).toBe(documented.size);
  });

  it("explains secrets as <NAME>_FILE once, for every _FILE variable compose passes", () => {
    const text = readRepoFile(".env.example");
    expect(text).toMatch(/<NAME>_FILE/);
    for (const v of interpolatedVariables(composeText)) if (isFileVariant(v)) expect(text, v).toContain(v.slice(0, -5));
  });

  it("shows each commented-out default as the one in force: compose's own default, else the service's", () => {
    for (const e of example.filter((x) => x.commented && x.value !== "")) {
      const fromCompose = new RegExp(`\\$\\{${e.name}:-([^}]+)\\}`).exec(composeText)?.[1];
      if (fromCompose !== undefined) {
        expect(e.value, `${e.name} (docker-compose.yml default)`).toBe(fromCompose);
        continue;
      }
      for (const env of schemas.values()) {
        if (!env.fields.has(e.name)) continue;
        const parsed = env.fields.get(e.name)?.safeParse(e.value);
        expect(parsed?.success, `${e.name}=${e.value} parses for ${env.service}`).toBe(true);
        expect(parsed?.data, `${e.name}=${e.value} is ${env.service}'s default`).toEqual(defaultOf(env, e.name).value);
      }
    }
  });
});

describe("docker-compose.yml environment", () => {
  it.each(Object.entries(CONTAINERS))("gives %s every variable of its service and nothing else", (name, service) => {
    const env = (compose.services[name] as ComposeService).environment ?? {};
    const fields = (schemas.get(service) as ServiceEnv).fields;
    const allowed = (k: string) => fields.has(k) || isFileVariantOf(fields, k) || RUNTIME[name]?.includes(k);
    expect(
      Object.keys(env).filter((k) => !allowed(k)),
      "passed but not read",
    ).toEqual([]);
    const missing = [...fields.keys()].filter((k) => !(k in env) && !(k in NOT_PASSED));
    expect(missing, "read but not passed").toEqual([]);
  });

  it.each(Object.entries(CONTAINERS))("gives %s a value for every variable its service requires", (name, service) => {
    const env = (compose.services[name] as ComposeService).environment ?? {};
    const schema = schemas.get(service) as ServiceEnv;
    for (const k of schema.fields.keys()) {
      if (!defaultOf(schema, k).required) continue;
      const v = String(env[k] ?? "");
      expect(v === "" || /^\$\{\w+(:-)?\}$/.test(v), `${name}: ${k}=${v}`).toBe(false);
    }
  });
});

describe("the environment compose computes for each container", () => {
  /** The example .env as `make env` leaves it, plus the P1 key a user adds. */
  const vars: Record<string, string> = {
    ...Object.fromEntries(example.filter((e) => !e.commented).map((e) => [e.name, e.value])),
    ...Object.fromEntries(
      ["INGEST", "EXPORTER", "DISPLAY", "NOTIFIER"].map((u) => [`MQTT_${u}_PASSWORD`, `${u.toLowerCase()}-0123456789`]),
    ),
    GRAFANA_ADMIN_PASSWORD: "grafana-0123456789",
    SMARTY_KEY: "0123456789ABCDEF0123456789ABCDEF",
  };

  it.each(Object.entries(CONTAINERS))("is a valid configuration for %s", (name, service) => {
    const env = configInput(composeEnvironment(name, vars));
    for (const schema of (schemas.get(service) as ServiceEnv).schemas) {
      const r = schema.safeParse(env);
      const issues = r.error?.issues.map((i) => `${String(i.path[0])}: ${i.message}`) ?? [];
      expect(issues, name).toEqual([]);
    }
  });

  it("follows compose's interpolation rules", () => {
    expect(interpolate(`\${A:-x}/\${B-y}/\${C}/$$HOME`, { A: "", B: "" })).toBe("x///$HOME");
    expect(interpolate(`\${A:-x}`, { A: "a" })).toBe("a");
    expect(() => interpolate(`\${A:?set A}`, {})).toThrow("A: set A");
  });
});

function isFileVariantOf(fields: ReadonlyMap<string, unknown>, name: string): boolean {
  return name.endsWith("_FILE") && fields.has(name.slice(0, -5));
}
