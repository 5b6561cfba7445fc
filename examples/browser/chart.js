// The live loss chart: loss per character (nats) against iteration on a canvas, with the
// held-out text's loss beside the training loss (memorising shows as a gap), the loss of a
// random guess (ln V) for scale, and the previous run's training line, faint, to compare.
// Points arrive many times a second; drawing waits for the next animation frame, so it
// costs one draw a frame. The canvas's aria-label says in words what the lines show.
const PAD = { left: 62, right: 30, top: 10, bottom: 40 }; // right: room for half of the last iteration label
const MAX_POINTS = 2000; // beyond this every other point goes: the shape stays, the cost does not grow
const COLORS = { training: "#d9480f", validation: "#1c7ed6", guess: "#888" };
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

/** Points [iteration, loss] that thin themselves past MAX_POINTS. */
function thinned(points) {
  return points.length > MAX_POINTS ? points.filter((_, i) => i % 2 === 0) : points;
}

export class LossChart {
  #canvas;
  #training = [];
  #validation = [];
  #previous = [];
  #guess = null; // ln V of the current model
  #pending = false;

  constructor(canvas) {
    this.#canvas = canvas;
    new ResizeObserver(() => this.#schedule()).observe(canvas);
    // The axes take the text colour when drawn: redraw when light and dark mode swap.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.#schedule());
  }

  add(iteration, loss) {
    this.#training = thinned([...this.#training, [iteration, loss]]);
    this.#schedule();
  }

  addValidation(iteration, loss) {
    this.#validation = thinned([...this.#validation, [iteration, loss]]);
    this.#schedule();
  }

  /** The random-guess line for a vocabulary of `vocabSize` symbols. */
  setVocabulary(vocabSize) {
    this.#guess = Math.log(vocabSize);
    this.#schedule();
  }

  /** Starts over for another model; the run so far stays as the faint previous line. */
  clear() {
    if (this.#training.length > 1) this.#previous = this.#training;
    this.#training = [];
    this.#validation = [];
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
    const pts = this.#training;
    if (pts.length === 0) return "No loss yet";
    const [[i0, l0], [i1, l1]] = [pts[0], pts.at(-1)];
    const val = this.#validation.at(-1);
    const held = val ? `; validation ${formatLoss(val[1])} at iteration ${grouped.format(val[0])}` : "";
    const guess = this.#guess === null ? "" : `; a random guess scores ${formatLoss(this.#guess)}`;
    return `Loss per character: ${formatLoss(l1)} nats at iteration ${grouped.format(i1)}, from ${formatLoss(l0)} at iteration ${grouped.format(i0)}${held}${guess}`;
  }

  #draw() {
    const canvas = this.#canvas;
    canvas.setAttribute("aria-label", this.#describe());
    canvas.dataset.previousPoints = String(this.#previous.length); // for tests: the faint line is there
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
    const lines = [this.#training, this.#validation, this.#previous];
    if (this.#training.length < 2 && this.#previous.length < 2) {
      g.textAlign = "center";
      g.fillText("The loss appears here while training.", width / 2, height / 2, width - 8);
      return;
    }
    const all = lines.flat();
    const xs = all.map((p) => p[0]);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    // The current model sets the scale; the previous run is cut off where it leaves it.
    const current = this.#training.length > 1 ? [...this.#training, ...this.#validation] : this.#previous;
    const losses = current.map((p) => p[1]).concat(this.#guess ?? []);
    const [lo, hi] = [Math.min(...losses), Math.max(...losses)];
    const yPad = (hi - lo) * 0.05 || 0.5;
    const [y0, y1] = [lo - yPad, hi + yPad];
    const [plotW, plotH] = [width - PAD.left - PAD.right, height - PAD.top - PAD.bottom];
    const x = (v) => PAD.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
    const y = (v) => PAD.top + (1 - (v - y0) / (y1 - y0)) * plotH;

    g.globalAlpha = 0.65;
    g.textAlign = "right";
    const yTicks = ticks(y0, y1, Math.max(2, Math.floor(plotH / 50)));
    for (const v of yTicks.values) g.fillText(formatLoss(v, yTicks.decimals), PAD.left - 6, y(v) + 4);
    g.textAlign = "center";
    const xTicks = ticks(x0, x1, Math.max(2, Math.floor(plotW / 140)), 1); // whole iterations
    for (const v of xTicks.values) g.fillText(grouped.format(v), x(v), height - PAD.bottom + 16);
    g.fillText("iteration", PAD.left + plotW / 2, height - 6);
    g.save();
    g.translate(14, PAD.top + plotH / 2);
    g.rotate(-Math.PI / 2);
    g.fillText("nats per character", 0, 0);
    g.restore();
    g.strokeRect(PAD.left, PAD.top, plotW, plotH);
    g.globalAlpha = 0.15;
    g.beginPath();
    for (const v of yTicks.values) {
      g.moveTo(PAD.left, y(v));
      g.lineTo(PAD.left + plotW, y(v));
    }
    g.stroke();

    const line = (pts, color, { alpha = 1, dash = [] } = {}) => {
      if (pts.length < 2) return;
      g.globalAlpha = alpha;
      g.setLineDash(dash);
      g.strokeStyle = color;
      g.beginPath();
      pts.forEach(([i, l], k) => (k === 0 ? g.moveTo(x(i), y(l)) : g.lineTo(x(i), y(l))));
      g.stroke();
    };
    g.lineWidth = 1.5;
    g.beginPath();
    g.rect(PAD.left, PAD.top, plotW, plotH);
    g.clip();
    if (this.#guess !== null) line([[x0, this.#guess], [x1, this.#guess]], COLORS.guess, { dash: [2, 3] });
    line(this.#previous, COLORS.training, { alpha: 0.3 });
    line(this.#training, COLORS.training);
    line(this.#validation, COLORS.validation, { dash: [5, 3] });
  }
}
