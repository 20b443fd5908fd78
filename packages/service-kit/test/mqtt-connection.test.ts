import { describe, expect, it } from "vitest";
import { redactUrl } from "../src/mqtt-connection.js";

describe("redactUrl", () => {
  it("removes the user and password", () => {
    expect(redactUrl("mqtt://ingest:secret-password@broker:1883")).toBe("mqtt://[redacted]@broker:1883");
    expect(redactUrl("mqtt://broker:1883")).toBe("mqtt://broker:1883");
  });

  it("leaks no part of a password with unencoded @ or / in it", () => {
    for (const url of ["mqtt://ingest:p@ss@broker:1883", "mqtts://u:a@b/c@d@broker:8883", "ws://u:@@@broker/mqtt"]) {
      const redacted = redactUrl(url);
      expect(redacted).toMatch(/^(mqtts?|ws):\/\/\[redacted\]@broker(:\d+|\/mqtt)$/);
    }
  });
});
