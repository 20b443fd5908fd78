/**
 * The README and docs/ stay true to the tree: every relative link points at a file that exists, every `#anchor`
 * at a heading of that file (GitHub's slug rules), and the commands they tell users to run name real Makefile
 * targets and compose profiles.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { readCompose, readRepoFile, repoPath } from "./helpers/repo.js";

const DOCS = [
  "README.md",
  ...readdirSync(repoPath("docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1] as string)));
}

function links(text: string): string[] {
  const body = text.replace(/```[\s\S]*?```/g, "");
  return [...body.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((l) => !/^[a-z]+:/.test(l));
}

describe.each(DOCS)("%s", (doc) => {
  const text = readRepoFile(doc);

  it("links only to files and headings that exist", () => {
    const broken: string[] = [];
    for (const link of links(text)) {
      const [path, anchor] = link.split("#") as [string, string | undefined];
      const target = path === "" ? repoPath(doc) : join(dirname(repoPath(doc)), path);
      if (!existsSync(target)) broken.push(`${link} (no ${relative(repoPath(), target)})`);
      else if (anchor && target.endsWith(".md") && !anchors(target).has(anchor)) broken.push(`${link} (no heading)`);
    }
    expect(broken).toEqual([]);
  });

  it("tells users only make targets and compose profiles that exist", () => {
    const makefile = readRepoFile("Makefile");
    for (const m of text.matchAll(/`make ([a-z0-9-]+)/g))
      expect(makefile, `make ${m[1]}`).toMatch(new RegExp(`^${m[1]}:`, "m"));
    const profiles = new Set(Object.values(readCompose().services).flatMap((s) => s.profiles ?? []));
    for (const m of text.matchAll(/docker compose[^\n`]*?--profile ([a-z]+)/g))
      expect(profiles, `--profile ${m[1]}`).toContain(m[1]);
  });
});

describe("README.md", () => {
  it("shows the architecture as a mermaid diagram and names the two commands", () => {
    const readme = readRepoFile("README.md");
    expect(readme).toContain("```mermaid");
    expect(readme).toContain("docker compose up -d");
    expect(readme).toContain("make demo");
    expect(readme).toContain("make test");
  });
});
