import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "@smarty/service-kit";
import { tempDir } from "@smarty/testkit";
import { describe, expect, it } from "vitest";
import { loadDisplayConfig } from "../src/config.js";

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadDisplayConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("display configuration", () => {
  it("reads SMARTY_LANGUAGE: lb, fr, de or en; unset leaves the choice to the browser", () => {
    expect(loadDisplayConfig({}).SMARTY_LANGUAGE).toBeUndefined();
    expect(loadDisplayConfig({ SMARTY_LANGUAGE: "lb" }).SMARTY_LANGUAGE).toBe("lb");
    expect(loadDisplayConfig({ SMARTY_LANGUAGE: "FR" }).SMARTY_LANGUAGE).toBe("fr");
    expect(problems({ SMARTY_LANGUAGE: "it" })).toEqual([expect.stringMatching(/^SMARTY_LANGUAGE: .*lb, fr, de, en/)]);
  });

  it("defaults to port 8080, 30 s staleness, no auth, no power class and no price", () => {
    const c = loadDisplayConfig({});
    expect(c.DISPLAY_PORT).toBe(8080);
    expect(c.DISPLAY_STALE_AFTER).toBe(30_000);
    expect(c.DISPLAY_BASIC_AUTH_USER).toBeUndefined();
    expect(c.DISPLAY_POWER_CLASS_KW).toBeUndefined();
    expect(c.DISPLAY_PRICE_PER_KWH).toBeUndefined();
    expect(c.DISPLAY_CURRENCY).toBe("EUR");
    expect(c.MQTT_BASE_TOPIC).toBe("smarty");
  });

  it("parses durations, the power class and a price with a decimal comma", () => {
    const c = loadDisplayConfig({
      DISPLAY_STALE_AFTER: "1m",
      DISPLAY_POWER_CLASS_KW: "7",
      DISPLAY_PRICE_PER_KWH: "0,2921",
    });
    expect(c.DISPLAY_STALE_AFTER).toBe(60_000);
    expect(c.DISPLAY_POWER_CLASS_KW).toBe(7);
    expect(c.DISPLAY_PRICE_PER_KWH).toBe(0.2921);
  });

  it("names every bad variable at once", () => {
    const p = problems({
      DISPLAY_PORT: "70000",
      DISPLAY_STALE_AFTER: "soon",
      DISPLAY_POWER_CLASS_KW: "-3",
      DISPLAY_PRICE_PER_KWH: "free",
      DISPLAY_CURRENCY: "euro",
    });
    for (const name of [
      "DISPLAY_PORT",
      "DISPLAY_STALE_AFTER",
      "DISPLAY_POWER_CLASS_KW",
      "DISPLAY_PRICE_PER_KWH",
      "DISPLAY_CURRENCY",
    ]) {
      expect(p.some((x) => x.startsWith(`${name}:`))).toBe(true);
    }
  });

  it("refuses a basic auth user without a password, and a short password", () => {
    expect(problems({ DISPLAY_BASIC_AUTH_USER: "kitchen" })).toEqual([
      "DISPLAY_BASIC_AUTH_PASSWORD: set both DISPLAY_BASIC_AUTH_USER and DISPLAY_BASIC_AUTH_PASSWORD, or neither",
    ]);
    expect(problems({ DISPLAY_BASIC_AUTH_USER: "kitchen", DISPLAY_BASIC_AUTH_PASSWORD: "short" })[0]).toMatch(
      /^DISPLAY_BASIC_AUTH_PASSWORD: /,
    );
  });

  it("reads the basic auth password from DISPLAY_BASIC_AUTH_PASSWORD_FILE", () => {
    const dir = tempDir("display-config");
    try {
      const file = join(dir.path, "password");
      writeFileSync(file, "correct horse battery\n");
      const c = loadDisplayConfig({ DISPLAY_BASIC_AUTH_USER: "kitchen", DISPLAY_BASIC_AUTH_PASSWORD_FILE: file });
      expect(c.DISPLAY_BASIC_AUTH_PASSWORD).toBe("correct horse battery");
    } finally {
      dir.remove();
    }
  });
});
