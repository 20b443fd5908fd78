/**
 * The ten-minute sparkline: an inline SVG (no chart library) whose paths are rewritten on every sample and
 * every second, so it scrolls with time. Import is drawn above the zero line, export below it; each side is
 * clipped to its own colour. The SVG stretches to its box (preserveAspectRatio="none"), so strokes use
 * vector-effect="non-scaling-stroke" and labels live in HTML.
 */

const W = 600;
const H = 120;
const PAD = 4;

/** The next "nice" round value at or above v (1, 2, 2.5, 5 × 10ⁿ), so the axis label reads well. */
export function niceCeil(v) {
  if (!(v > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

/**
 * Draws `samples` ([t, w] pairs, oldest first) for the window ending at `now`.
 * Returns the axis range {top, bottom} in W, or null when there is nothing to draw.
 */
export function drawSpark(svg, samples, now, windowMs) {
  const from = now - windowMs;
  const pts = samples.filter((s) => s[0] >= from && s[0] <= now + 5000);
  const parts = ["line", "imp", "exp"].map((k) => svg.querySelector(`.spark-${k}`));
  const zero = svg.querySelector(".spark-zero");
  if (pts.length === 0) {
    for (const p of parts) p.setAttribute("d", "");
    zero.setAttribute("d", "");
    return null;
  }
  let hi = 0;
  let lo = 0;
  for (const [, w] of pts) {
    hi = Math.max(hi, w);
    lo = Math.min(lo, w);
  }
  let top = niceCeil(hi * 1.05);
  const bottom = -niceCeil(-lo * 1.05);
  if (top === bottom) top = 500;
  const x = (t) => (((t - from) / windowMs) * W).toFixed(1);
  const y = (w) => (PAD + ((top - w) / (top - bottom)) * (H - 2 * PAD)).toFixed(1);
  const y0 = y(0);
  let line = `M${x(pts[0][0])},${y(pts[0][1])}`;
  for (let i = 1; i < pts.length; i++) line += `L${x(pts[i][0])},${y(pts[i][1])}`;
  if (pts.length === 1) line += `h3`;
  const last = pts[pts.length - 1];
  const area = `${line}L${pts.length === 1 ? Number(x(last[0])) + 3 : x(last[0])},${y0}L${x(pts[0][0])},${y0}Z`;
  parts[0].setAttribute("d", line);
  parts[1].setAttribute("d", area);
  parts[2].setAttribute("d", area);
  zero.setAttribute("d", `M0,${y0}H${W}`);
  svg.querySelector("#clip-imp rect").setAttribute("height", y0);
  const below = svg.querySelector("#clip-exp rect");
  below.setAttribute("y", y0);
  below.setAttribute("height", String(H - Number(y0)));
  return { top, bottom };
}
