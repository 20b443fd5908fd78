/**
 * `.env.example` as data. A variable line is `NAME=value` (set) or `#NAME=value` (documented, commented out: the
 * default applies); prose comments are `# text` with a space, so they are never mistaken for variables.
 */
import { readRepoFile } from "./repo.js";

export interface EnvExampleEntry {
  readonly name: string;
  readonly value: string;
  /** Commented out (`#NAME=`): documented, the service default applies. */
  readonly commented: boolean;
  /** The `# ...` comment lines right above the variable. */
  readonly comment: string;
  readonly line: number;
}

export function parseEnvExample(text: string = readRepoFile(".env.example")): EnvExampleEntry[] {
  const entries: EnvExampleEntry[] = [];
  let comment: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trimEnd();
    const variable = /^(#?)([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (variable) {
      entries.push({
        name: variable[2] as string,
        value: variable[3] as string,
        commented: variable[1] === "#",
        comment: comment.join(" "),
        line: i + 1,
      });
      comment = [];
    } else if (line.startsWith("# ")) {
      comment.push(line.slice(2));
    } else {
      comment = [];
    }
  });
  return entries;
}

/** An env file for `docker-compose config`: the example's set values, then `overrides`. */
export function envFileText(overrides: Record<string, string>, entries = parseEnvExample()): string {
  const values = new Map(entries.filter((e) => !e.commented).map((e) => [e.name, e.value]));
  for (const [k, v] of Object.entries(overrides)) values.set(k, v);
  return `${[...values].map(([k, v]) => `${k}=${v}`).join("\n")}\n`;
}
