// The live loss chart: loss per character (nats) against iteration on a canvas. Points
// arrive many times a second; drawing waits for the next animation frame, so it costs one
// draw a frame. The canvas's aria-label says in words what the line shows.
const PAD = { left: 62, right: 30, top: 10, bottom: 40 }; // right: room for half of the last iteration label
const MAX_POINTS = 2000; // beyond this every other point goes: the shape stays, the cost does not grow
const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumSignificantDigits: 3 });

/** A loss as people read it: 1.883, or 2.1M once a diverging run has made it huge. */
export function formatLoss(value, decimals = 3) {
  return Math.abs(value) < 1e4 ? value.toFixed(decimals) : compact.format(value);
}

/**
 * Round values (1, 2 or 5 times a power of ten apart) within [lo, hi]: at least about
 * `count` of them, at most 2.5 times as many, and never closer than `minStep`.
 */
function ticks(lo, hi, count, minStep = 0) {
  const raw = Math.max((hi - lo) / count, minStep) || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [5, 2, 1].map((m) => m * power).find((s) => s <= raw);
  const out = [];
  for (let i = Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) out.push(i * step);
  return { values: out, decimals: Math.max(0, -Math.floor(Math.log10(step))) };
}

export class LossChart {
  #canvas;
  #points = [];
  #pending = false;

  constructor(canvas) {
    this.#canvas = canvas;
    new ResizeObserver(() => this.#schedule()).observe(canvas);
    // The axes take the text colour when drawn: redraw when light and dark mode swap.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.#schedule());
  }

  add(iteration, loss) {
    this.#points.push([iteration, loss]);
    if (this.#points.length > MAX_POINTS) this.#points = this.#points.filter((_, i) => i % 2 === 0);
    this.#schedule();
  }

  clear() {
    this.#points = [];
    this.#schedule();
  }

  #schedule() {
    if (this.#pending) return;
    this.#pending = true;
    requestAnimationFrame(() => {
      this.#pending = false;
      this.#draw();
    });
  }

  #describe() {
    const pts = this.#points;
    if (pts.length === 0) return "No loss yet";
    const [[i0, l0], [i1, l1]] = [pts[0], pts.at(-1)];
    return `Loss per character: ${formatLoss(l1)} nats at iteration ${grouped.format(i1)}, from ${formatLoss(l0)} at iteration ${grouped.format(i0)}`;
  }

  #draw() {
    const canvas = this.#canvas;
    canvas.setAttribute("aria-label", this.#describe());
    const scale = devicePixelRatio;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.clearRect(0, 0, width, height);
    g.font = "12px system-ui, sans-serif";
    g.fillStyle = g.strokeStyle = getComputedStyle(canvas).color;
    const pts = this.#points;
    if (pts.length < 2) {
      g.fillText("The loss per character appears here while training.", PAD.left, height / 2);
      return;
    }
    const [x0, x1] = [pts[0][0], pts.at(-1)[0]];
    const losses = pts.map((p) => p[1]);
    const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
    const yPad = (hi - lo) * 0.05 || 0.5;
    const [y0, y1] = [lo - yPad, hi + yPad];
    const [plotW, plotH] = [width - PAD.left - PAD.right, height - PAD.top - PAD.bottom];
    const x = (v) => PAD.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
    const y = (v) => PAD.top + (1 - (v - y0) / (y1 - y0)) * plotH;

    g.globalAlpha = 0.65;
    g.textAlign = "right";
    const yTicks = ticks(y0, y1, Math.max(2, Math.floor(plotH / 60)));
    for (const v of yTicks.values) g.fillText(formatLoss(v, yTicks.decimals), PAD.left - 6, y(v) + 4);
    g.textAlign = "center";
    const xTicks = ticks(x0, x1, Math.max(2, Math.floor(plotW / 140)), 1); // whole iterations
    for (const v of xTicks.values) g.fillText(grouped.format(v), x(v), height - PAD.bottom + 16);
    g.fillText("iteration", PAD.left + plotW / 2, height - 6);
    g.save();
    g.translate(14, PAD.top + plotH / 2);
    g.rotate(-Math.PI / 2);
    g.fillText("loss per character (nats)", 0, 0);
    g.restore();
    g.strokeRect(PAD.left, PAD.top, plotW, plotH);
    g.globalAlpha = 0.15;
    g.beginPath();
    for (const v of yTicks.values) {
      g.moveTo(PAD.left, y(v));
      g.lineTo(PAD.left + plotW, y(v));
    }
    g.stroke();

    g.globalAlpha = 1;
    g.lineWidth = 1.5;
    g.strokeStyle = "#d9480f";
    g.beginPath();
    pts.forEach(([i, l], k) => (k === 0 ? g.moveTo(x(i), y(l)) : g.lineTo(x(i), y(l))));
    g.stroke();
  }
}
