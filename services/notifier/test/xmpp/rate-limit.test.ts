import { describe, expect, it } from "vitest";
import { TokenBuckets } from "../../src/xmpp/rate-limit.js";

describe("TokenBuckets", () => {
  it("accepts a burst, answers the first refusal once, then stays silent until a token is back", () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 3, refillMs: 1000 }, () => now);
    expect([1, 2, 3, 4, 5, 6].map(() => b.take("alice"))).toEqual(["ok", "ok", "ok", "limited", "silent", "silent"]);
    expect(b.waitMs("alice")).toBe(1000);
    now = 999;
    expect(b.take("alice")).toBe("silent");
    now = 1000;
    expect(b.take("alice")).toBe("ok");
    // A new burst of refusals is answered once again.
    expect(b.take("alice")).toBe("limited");
    expect(b.take("alice")).toBe("silent");
  });

  it("keeps one bucket per contact and never holds more than the burst", () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 2, refillMs: 1000 }, () => now);
    expect([b.take("alice"), b.take("alice"), b.take("alice")]).toEqual(["ok", "ok", "limited"]);
    expect(b.take("bob")).toBe("ok");
    now = 60_000;
    expect([b.take("alice"), b.take("alice"), b.take("alice")]).toEqual(["ok", "ok", "limited"]);
  });

  it("refills from the first token taken, not from when the bucket was last full", () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 1, refillMs: 1000 }, () => now);
    now = 10_000;
    expect(b.take("alice")).toBe("ok");
    now = 10_500;
    expect(b.take("alice")).toBe("limited");
    now = 11_000;
    expect(b.take("alice")).toBe("ok");
  });
});
