/**
 * Reads values straight from telegram text with a regular expression, independently of the p1 parser, so the
 * simulator's tests check what is written on the wire rather than what our own codec makes of it.
 */

const cache = new WeakMap<object, Map<string, string[]>>();
const boxes = new Map<string, object>();

/** Every OBIS line of a telegram: code → raw fields (`0-1:24.2.1` → ["260620100000S", "07806.345*m3"]). */
export function wireLines(telegram: string): Map<string, string[]> {
  // Telegrams are strings (not WeakMap keys); a small box per text keeps the parse cached while tests run.
  let box = boxes.get(telegram);
  if (!box) {
    if (boxes.size > 50_000) boxes.clear();
    box = {};
    boxes.set(telegram, box);
  }
  let lines = cache.get(box);
  if (!lines) {
    lines = new Map();
    for (const line of telegram.split("\r\n")) {
      const m = /^(\d+-\d+:\d+\.\d+\.\d+)((?:\([^)]*\))+)$/.exec(line);
      if (m)
        lines.set(
          m[1]!,
          [...m[2]!.matchAll(/\(([^)]*)\)/g)].map((x) => x[1]!),
        );
    }
    cache.set(box, lines);
  }
  return lines;
}

/** All raw fields of an OBIS line. */
export function wireFields(telegram: string, code: string): string[] {
  const f = wireLines(telegram).get(code);
  if (!f) throw new Error(`no line ${code}`);
  return f;
}

/** First numeric value of an OBIS line, e.g. `1-0:1.8.0(009231.163*kWh)` → 9231.163. */
export function wireNumber(telegram: string, code: string): number {
  const first = wireFields(telegram, code)[0]!;
  const m = /^(-?\d+(?:\.\d+)?)(?:\*.*)?$/.exec(first);
  if (!m) throw new Error(`line ${code} has no number`);
  return Number(m[1]);
}

/** Whole watts of a kW line (three decimals on the wire). */
export function wireWatts(telegram: string, code: string): number {
  return Math.round(wireNumber(telegram, code) * 1000);
}
