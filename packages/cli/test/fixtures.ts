/** Shared vectors copied from packages/p1/test/fixtures/vectors (see SOURCES.md there), read by name. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

export function fixturePath(name: string): string {
  return `${FIXTURES}${name}`;
}

/** A `.hex` vector as bytes. */
export function hexFixture(name: string): Buffer {
  return Buffer.from(readFileSync(fixturePath(`${name}.hex`), "latin1").trim(), "hex");
}

export function jsonFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(fixturePath(`${name}.json`), "utf8")) as T;
}

export function textFixture(name: string): Buffer {
  return readFileSync(fixturePath(name));
}

/** Key of the synthetic Lux vectors (their JSON `encryption_key_hex`). */
export const VECTOR_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
