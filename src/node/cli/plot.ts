// The loss curve of a training run, drawn as a self-contained SVG image (written by hand:
// axes, ticks at round numbers, labels, one polyline per series and, with a validation
// series, a legend), for `minrnn train --plot`.

export interface LossPoint {
  iteration: number;
  loss: number;
}

const MAX_POINTS = 2000;

/** Points of a run, thinned as it grows so that a week-long run still makes a small image. */
export class LossCurve {
  readonly points: LossPoint[] = [];

  add(iteration: number, loss: number): void {
    const last = this.points.at(-1);
    if (last?.iteration === iteration) return;
    this.points.push({ iteration, loss });
    if (this.points.length > MAX_POINTS) {
      // Keep every other point, and always the newest.
      const kept = this.points.filter((_, i) => i % 2 === 0);
      if (kept.at(-1) !== this.points.at(-1)) kept.push(this.points.at(-1)!);
      this.points.splice(0, this.points.length, ...kept);
    }
  }
}

const W = 720, H = 420;
const LEFT = 78, RIGHT = 24, TOP = 44, BOTTOM = 58;

const SMOOTH_COLOR = "#1f6feb", VALIDATION_COLOR = "#d9480f";

/** An SVG document plotting smooth loss (and, if given, validation loss) against iteration. */
export function lossCurveSvg(points: readonly LossPoint[], title: string, validation: readonly LossPoint[] = []): string {
  const all = [...points, ...validation];
  const xs = axis(all.map((p) => p.iteration));
  const ys = axis(all.map((p) => p.loss));
  const px = (x: number) => LEFT + ((x - xs.min) / (xs.max - xs.min)) * (W - LEFT - RIGHT);
  const py = (y: number) => H - BOTTOM - ((y - ys.min) / (ys.max - ys.min)) * (H - TOP - BOTTOM);
  const f = (n: number) => n.toFixed(1);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
  for (const t of xs.ticks) {
    parts.push(`<line x1="${f(px(t))}" y1="${TOP}" x2="${f(px(t))}" y2="${H - BOTTOM}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${f(px(t))}" y="${H - BOTTOM + 18}" text-anchor="middle">${label(t)}</text>`);
  }
  for (const t of ys.ticks) {
    parts.push(`<line x1="${LEFT}" y1="${f(py(t))}" x2="${W - RIGHT}" y2="${f(py(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${LEFT - 8}" y="${f(py(t) + 4)}" text-anchor="end">${label(t)}</text>`);
  }
  parts.push(
    `<path d="M${LEFT},${TOP}V${H - BOTTOM}H${W - RIGHT}" fill="none" stroke="#333"/>`,
    `<text x="${(LEFT + W - RIGHT) / 2}" y="${H - 14}" text-anchor="middle">iteration</text>`,
    `<text transform="translate(18 ${(TOP + H - BOTTOM) / 2}) rotate(-90)" text-anchor="middle">${validation.length ? "loss" : "smooth loss"} (nats per window)</text>`,
  );
  const polyline = (series: readonly LossPoint[], color: string, what: string) => {
    if (series.length === 0) return;
    const line = series.map((p) => `${f(px(p.iteration))},${f(py(p.loss))}`).join(" ");
    parts.push(`<polyline points="${line}" class="${what}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  };
  polyline(points, SMOOTH_COLOR, "smooth");
  polyline(validation, VALIDATION_COLOR, "validation");
  if (validation.length > 0) {
    // The legend, in the top right corner of the plot area.
    const x = W - RIGHT - 170, y = TOP + 8;
    parts.push(
      `<rect x="${x}" y="${y}" width="162" height="44" fill="white" stroke="#ccc"/>`,
      `<line x1="${x + 10}" y1="${y + 15}" x2="${x + 34}" y2="${y + 15}" stroke="${SMOOTH_COLOR}" stroke-width="2"/>`,
      `<text x="${x + 42}" y="${y + 19}">smooth training loss</text>`,
      `<line x1="${x + 10}" y1="${y + 32}" x2="${x + 34}" y2="${y + 32}" stroke="${VALIDATION_COLOR}" stroke-width="2"/>`,
      `<text x="${x + 42}" y="${y + 36}">validation loss</text>`,
    );
  }
  parts.push("</svg>", "");
  return parts.join("\n");
}

/** The range of an axis widened to round numbers, and ticks at a round step inside it. */
function axis(values: number[]): { min: number; max: number; ticks: number[] } {
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  const step = roundStep((hi - lo) / 5);
  const min = Math.floor(lo / step) * step, max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { min, max, ticks };
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function roundStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
}

function label(n: number): string {
  return Math.abs(n) >= 10000 ? `${n / 1000}k` : String(n);
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;" })[c]!);
}
