import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.js";
import { type Component, stopAll } from "../src/lifecycle.js";
import { createLogger } from "../src/logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: createLogger({ service: "t", level: "debug", destination }) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("stopAll", () => {
  it("abandons a stop that hangs when its share of the deadline is used up, stops the rest and says what was left", async () => {
    const clock = new ManualClock();
    const { lines, log } = capture();
    const stopped: string[] = [];
    const first: Component = {
      name: "broker-link",
      start: () => undefined,
      stop: () => void stopped.push("broker-link"),
      unflushed: () => ({ messages: 3 }),
    };
    const hanging: Component = {
      name: "store",
      start: () => undefined,
      stop: () => new Promise<void>(() => undefined), // waits for a server that is gone
    };
    let done = false;
    const p = stopAll([first, hanging], log, { timeoutMs: 8000, clock }).then(() => {
      done = true;
    });
    await settle();
    expect(stopped).toEqual([]);
    clock.advance(7499);
    await settle();
    expect(done).toBe(false);
    clock.advance(1); // 8 s minus the 0.5 s kept for the one component left
    await p;
    expect(stopped).toEqual(["broker-link"]);
    expect(lines.find((l) => l.msg === "component did not stop in time")).toMatchObject({
      component: "store",
      waited_ms: 7500,
    });
    expect(lines.find((l) => l.msg === "not flushed")).toMatchObject({ component: "broker-link", messages: 3 });
  });

  it("stops components in reverse order and logs nothing as left when all is flushed", async () => {
    const { lines, log } = capture();
    const order: string[] = [];
    const c = (name: string): Component => ({
      name,
      start: () => undefined,
      stop: async () => void order.push(name),
      unflushed: () => ({ messages: 0 }),
    });
    await stopAll([c("a"), c("b"), c("c")], log);
    expect(order).toEqual(["c", "b", "a"]);
    expect(lines.filter((l) => l.msg === "not flushed" || l.msg === "component did not stop in time")).toEqual([]);
  });
});
