/**
 * Objects with many keys, built fast: a reading has about 60 named values and 60 `obis` entries, one key per line.
 * Storing that many values one by one under computed names is a megamorphic keyed store per key (the profile of
 * `npm run bench` showed it as the biggest single cost of a parse), and adding them to an empty object makes V8
 * turn it into a slow dictionary. An object literal with constant keys instead is created from one boilerplate
 * in a single step, with one fast shape. A meter sends the same lines in the same order every time, so the
 * literal of a key sequence is compiled once (`new Function`) and reused for every later telegram of that layout.
 *
 * Only the keys go into the generated source, each as a JSON string literal (`__proto__` as a computed key, so it
 * stays an own property); values are passed in arrays and never become code.
 *
 * The result is an ordinary object with exactly those keys in that order: the JSON form does not change.
 */

/** Makes the object from the leading values and the per-telegram values, both in key order. */
export type ShapeBuilder = (lead: readonly unknown[], values: readonly unknown[]) => Record<string, unknown>;

interface Shape {
  readonly keys: readonly string[];
  readonly build: ShapeBuilder;
}

/** Builders of the last few key sequences seen (a bus rarely carries more than a couple of meter layouts). */
export class ShapeCache {
  private readonly shapes: Shape[] = [];

  constructor(
    /** Keys every object starts with, before the per-telegram ones. */
    private readonly leading: readonly string[],
    private readonly capacity = 8,
  ) {}

  /**
   * The builder of objects whose keys are `leading` and then `keys[0, n)`. A repeated key keeps its first place
   * and its last value, as when the values are assigned one by one.
   */
  builder(keys: readonly string[], n: number): ShapeBuilder {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s]!;
      if (sameKeys(shape.keys, keys, n)) {
        if (s > 0) {
          // Most recently used first: the lookup of a steady stream ends at the first compare.
          shapes.splice(s, 1);
          shapes.unshift(shape);
        }
        return shape.build;
      }
    }
    const own = keys.slice(0, n);
    const build = compile(this.leading, own);
    shapes.unshift({ keys: own, build });
    if (shapes.length > this.capacity) shapes.pop();
    return build;
  }
}

function propertyName(key: string): string {
  const literal = JSON.stringify(key);
  return key === "__proto__" ? `[${literal}]` : literal;
}

/** `(l, v) => ({"a": l[0], "b": v[0], …})` for the given keys. */
function compile(leading: readonly string[], keys: readonly string[]): ShapeBuilder {
  const fields = [
    ...leading.map((k, i) => `${propertyName(k)}: l[${i}]`),
    ...keys.map((k, i) => `${propertyName(k)}: v[${i}]`),
  ];
  return new Function("l", "v", `"use strict"; return {${fields.join(", ")}};`) as ShapeBuilder;
}

function sameKeys(a: readonly string[], b: readonly string[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
