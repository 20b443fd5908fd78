/**
 * A small bar chart of imported energy as PNG (pngjs): hourly bars for a day report, daily bars for a week or
 * month. Drawn pixel by pixel; no text (the numbers are in the report and the CSV), a light grid every quarter of
 * the highest bar. Unknown values (gaps) leave a dotted placeholder so a gap does not read as zero.
 */
import { PNG } from "pngjs";

export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 160;
const PAD = 8;

type Rgb = readonly [number, number, number];
const BACKGROUND: Rgb = [255, 255, 255];
const GRID: Rgb = [225, 228, 232];
const AXIS: Rgb = [120, 126, 134];
const BAR: Rgb = [38, 110, 184];
const GAP: Rgb = [190, 194, 200];

function fill(png: PNG, x0: number, y0: number, x1: number, y1: number, c: Rgb): void {
  for (let y = Math.max(0, y0); y < Math.min(png.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(png.width, x1); x++) {
      const i = (png.width * y + x) << 2;
      png.data[i] = c[0];
      png.data[i + 1] = c[1];
      png.data[i + 2] = c[2];
      png.data[i + 3] = 255;
    }
  }
}

/** PNG bytes of a bar chart of `values` (null = unknown). */
export function barChartPng(values: readonly (number | null)[]): Buffer {
  const png = new PNG({ width: CHART_WIDTH, height: CHART_HEIGHT });
  fill(png, 0, 0, CHART_WIDTH, CHART_HEIGHT, BACKGROUND);
  const top = PAD;
  const bottom = CHART_HEIGHT - PAD;
  const left = PAD;
  const right = CHART_WIDTH - PAD;
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  for (let g = 1; g <= 4; g++) {
    const y = Math.round(bottom - ((bottom - top) * g) / 4);
    fill(png, left, y, right, y + 1, GRID);
  }
  const n = Math.max(1, values.length);
  const slot = (right - left) / n;
  values.forEach((v, i) => {
    const x0 = Math.round(left + i * slot + slot * 0.15);
    const x1 = Math.max(x0 + 1, Math.round(left + (i + 1) * slot - slot * 0.15));
    if (v === null) {
      for (let y = bottom - 6; y < bottom; y += 2) fill(png, x0, y, x1, y + 1, GAP);
      return;
    }
    const h = max > 0 ? Math.round(((bottom - top) * v) / max) : 0;
    fill(png, x0, bottom - h, x1, bottom, BAR);
  });
  fill(png, left, bottom, right, bottom + 1, AXIS);
  return PNG.sync.write(png);
}
