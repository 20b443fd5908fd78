/**
 * Objects with many keys, built fast: a reading has about 60 named values and 60 `obis` entries, one key per line.
 * Adding that many keys one by one with computed names makes V8 turn the object into a slow dictionary (and the
 * work grows with every key); copying a template that already has every key, in the same order, and then filling
 * in the values keeps one fast shape. A meter sends the same lines in the same order every time, so the template of
 * a key sequence is made once and reused for every later telegram of that layout.
 *
 * The result is an ordinary object with exactly those keys in that order: the JSON form does not change.
 */

interface Shape {
  readonly keys: readonly string[];
  readonly template: object;
}

/** Templates of the last few key sequences seen (a bus rarely carries more than a couple of meter layouts). */
export class ShapeCache {
  private readonly shapes: Shape[] = [];

  constructor(
    /** Keys every object starts with, before the per-telegram ones. */
    private readonly leading: readonly string[],
    private readonly capacity = 8,
  ) {}

  /**
   * A new object whose keys are `leading` and then `keys[0, n)` (a repeated key keeps its first place), every value
   * undefined until the caller fills it in.
   */
  create(keys: readonly string[], n: number): Record<string, unknown> {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s]!;
      if (sameKeys(shape.keys, keys, n)) {
        if (s > 0) {
          // Most recently used first: the lookup of a steady stream ends at the first compare.
          shapes.splice(s, 1);
          shapes.unshift(shape);
        }
        return { ...shape.template };
      }
    }
    const own = keys.slice(0, n);
    // Object.fromEntries gives a fast-mode object even with a hundred keys; spreading it copies that shape.
    const template = Object.fromEntries([...this.leading, ...own].map((k) => [k, undefined]));
    shapes.unshift({ keys: own, template });
    if (shapes.length > this.capacity) shapes.pop();
    return { ...template };
  }
}

function sameKeys(a: readonly string[], b: readonly string[], n: number): boolean {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}
