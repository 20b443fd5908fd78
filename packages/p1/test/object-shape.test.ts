import { describe, expect, it } from "vitest";
import { ShapeCache } from "../src/object-shape.js";

describe("ShapeCache", () => {
  it("builds objects with the leading keys, then the given keys, in order", () => {
    const cache = new ShapeCache(["a", "b"]);
    const o = cache.builder(["x", "y", "z"], 2)([1, 2], [3, 4, 5]);
    expect(Object.entries(o)).toEqual([
      ["a", 1],
      ["b", 2],
      ["x", 3],
      ["y", 4],
    ]);
  });

  it("keeps a repeated key in its first place with its last value", () => {
    const o = new ShapeCache(["a"]).builder(["x", "a", "x"], 3)(["lead"], [1, 2, 3]);
    expect(JSON.stringify(o)).toBe('{"a":2,"x":3}');
  });

  it("reuses the builder of a key sequence and tells other sequences apart", () => {
    const cache = new ShapeCache([]);
    const first = cache.builder(["1-0:1.8.1", "1-0:1.8.2"], 2);
    expect(cache.builder(["1-0:1.8.1", "1-0:1.8.2", "other"], 2)).toBe(first);
    expect(cache.builder(["1-0:1.8.1"], 1)).not.toBe(first);
  });

  it("takes keys as data, never as code", () => {
    const keys = ["__proto__", '"}; throw 1; ({"', "a\u2028b"];
    const o = new ShapeCache([]).builder(keys, 3)([], [1, 2, 3]);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(o)).toEqual(keys);
    expect(Object.values(o)).toEqual([1, 2, 3]);
  });
});
