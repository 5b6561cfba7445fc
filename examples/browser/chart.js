// The live loss chart: smooth loss against iteration on a canvas. Points arrive many
// times a second; drawing waits for the next animation frame, so it costs one draw a frame.
const PAD = { left: 48, right: 12, top: 10, bottom: 24 };
const MAX_POINTS = 2000; // beyond this every other point goes: the shape stays, the cost does not grow

export class LossChart {
  #canvas;
  #points = [];
  #pending = false;

  constructor(canvas) {
    this.#canvas = canvas;
    new ResizeObserver(() => this.#schedule()).observe(canvas);
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

  #draw() {
    const canvas = this.#canvas;
    const scale = devicePixelRatio;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.clearRect(0, 0, width, height);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = g.strokeStyle = getComputedStyle(canvas).color;
    const pts = this.#points;
    if (pts.length < 2) {
      g.fillText("The smooth loss appears here while training.", PAD.left, height / 2);
      return;
    }
    const [x0, x1] = [pts[0][0], pts.at(-1)[0]];
    const losses = pts.map((p) => p[1]);
    const [y0, y1] = [Math.min(...losses), Math.max(...losses)];
    const yPad = (y1 - y0) * 0.05 || 1;
    const x = (v) => PAD.left + ((v - x0) / (x1 - x0 || 1)) * (width - PAD.left - PAD.right);
    const y = (v) => PAD.top + (1 - (v - (y0 - yPad)) / (y1 - y0 + 2 * yPad)) * (height - PAD.top - PAD.bottom);

    g.globalAlpha = 0.6;
    g.textAlign = "right";
    for (const v of [y0, (y0 + y1) / 2, y1]) g.fillText(v.toFixed(1), PAD.left - 6, y(v) + 4);
    g.textAlign = "center";
    g.fillText(`iteration ${x0}`, PAD.left + 40, height - 6);
    g.fillText(`${x1}`, width - PAD.right - 20, height - 6);
    g.strokeRect(PAD.left, PAD.top, width - PAD.left - PAD.right, height - PAD.top - PAD.bottom);

    g.globalAlpha = 1;
    g.lineWidth = 1.5;
    g.strokeStyle = "#d9480f";
    g.beginPath();
    pts.forEach(([i, l], k) => (k === 0 ? g.moveTo(x(i), y(l)) : g.lineTo(x(i), y(l))));
    g.stroke();
  }
}
