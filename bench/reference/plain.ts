// Plain TypeScript port of Karpathy's min-char-rnn, the benchmark's JavaScript baseline.
//
// A straightforward port over Float32Arrays: nested loops, Math.tanh / Math.exp,
// no WASM, no SIMD. It is the baseline the benchmark compares the WASM core against,
// so it is written the way a careful programmer would write it, neither tuned
// nor deliberately slow. The one-hot input product Wxh·x is done as a column gather.
// Compiled to build/bench/plain.js (bench/tsconfig.json); tests/parity.test.js holds
// it to the numpy fixtures.
//
// Layout: all matrices are flat row-major Float32Arrays
//   Wxh [H, V], Whh [H, H], Why [V, H], bh [H], by [V].

/** Small seeded PRNG (mulberry32): returns uniform floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return function next(): number {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal sampler (Box-Muller) on top of mulberry32. */
function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  return function randn(): number {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = uniform(); // avoid log(0)
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * Build the vocabulary (distinct code points sorted by code point) and the index
 * sequence of a text. Works on code points, not UTF-16 code units.
 */
export function encode(text: string): { vocab: string[]; indices: Uint32Array } {
  const chars = Array.from(text);
  const vocab = Array.from(new Set(chars)).sort(
    (a, b) => a.codePointAt(0)! - b.codePointAt(0)!,
  );
  const index = new Map<string, number>();
  for (let i = 0; i < vocab.length; i++) index.set(vocab[i]!, i);
  const indices = new Uint32Array(chars.length);
  for (let i = 0; i < chars.length; i++) indices[i] = index.get(chars[i]!)!;
  return { vocab, indices };
}

/** Adagrad update in place: mem += d*d; param += -lr * d / sqrt(mem + 1e-8). */
function adagrad(param: Float32Array, d: Float32Array, mem: Float32Array, lr: number): void {
  for (let i = 0; i < param.length; i++) {
    const di = d[i]!;
    const m = mem[i]! + di * di;
    mem[i] = m;
    param[i] += (-lr * di) / Math.sqrt(Math.fround(m) + 1e-8);
  }
}

/** Clip every element to [-5, 5] in place. */
function clip5(g: Float32Array): void {
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    if (v > 5) g[i] = 5;
    else if (v < -5) g[i] = -5;
  }
}

export interface PlainOptions {
  indices: Uint8Array | Uint16Array | Uint32Array;
  vocabSize: number;
  hidden?: number;
  seqLength?: number;
  learningRate?: number;
  seed?: number;
}

/** Initial weights, flat row-major. */
export interface PlainWeights {
  Wxh: ArrayLike<number>;
  Whh: ArrayLike<number>;
  Why: ArrayLike<number>;
  bh?: ArrayLike<number>;
  by?: ArrayLike<number>;
}

export class PlainCharRNN {
  readonly indices: Uint8Array | Uint16Array | Uint32Array;
  readonly V: number;
  readonly H: number;
  readonly T: number;
  readonly lr: number;
  readonly Wxh: Float32Array; readonly Whh: Float32Array; readonly Why: Float32Array;
  readonly bh: Float32Array; readonly by: Float32Array;
  readonly dWxh: Float32Array; readonly dWhh: Float32Array; readonly dWhy: Float32Array;
  readonly dbh: Float32Array; readonly dby: Float32Array;
  readonly mWxh: Float32Array; readonly mWhh: Float32Array; readonly mWhy: Float32Array;
  readonly mbh: Float32Array; readonly mby: Float32Array;
  readonly hs: Float32Array; readonly ps: Float32Array; readonly hprev: Float32Array;
  readonly dy: Float32Array; readonly dh: Float32Array; readonly dhraw: Float32Array;
  readonly dhnext: Float32Array;
  n: number;
  p: number;
  _smoothLoss: number;

  constructor({
    indices,
    vocabSize,
    hidden = 100,
    seqLength = 25,
    learningRate = 0.1,
    seed = 42,
  }: PlainOptions) {
    if (!indices || typeof indices.length !== 'number') {
      throw new TypeError('indices must be a Uint8Array, Uint16Array or Uint32Array');
    }
    const V = vocabSize | 0;
    const H = hidden | 0;
    const T = seqLength | 0;
    if (V < 1 || H < 1 || T < 1) throw new RangeError('vocabSize, hidden and seqLength must be >= 1');
    if (indices.length < T + 1) {
      throw new RangeError(`text has ${indices.length} symbols; need at least seqLength + 1 = ${T + 1}`);
    }
    for (let i = 0; i < indices.length; i++) {
      if (indices[i]! >= V) throw new RangeError(`index ${indices[i]} at ${i} is >= vocabSize ${V}`);
    }
    this.indices = indices;
    this.V = V;
    this.H = H;
    this.T = T;
    this.lr = learningRate;

    // parameters
    this.Wxh = new Float32Array(H * V);
    this.Whh = new Float32Array(H * H);
    this.Why = new Float32Array(V * H);
    this.bh = new Float32Array(H);
    this.by = new Float32Array(V);
    const randn = gaussian(seed);
    for (const W of [this.Wxh, this.Whh, this.Why]) {
      for (let i = 0; i < W.length; i++) W[i] = randn() * 0.01;
    }

    // gradients
    this.dWxh = new Float32Array(H * V);
    this.dWhh = new Float32Array(H * H);
    this.dWhy = new Float32Array(V * H);
    this.dbh = new Float32Array(H);
    this.dby = new Float32Array(V);

    // Adagrad memories
    this.mWxh = new Float32Array(H * V);
    this.mWhh = new Float32Array(H * H);
    this.mWhy = new Float32Array(V * H);
    this.mbh = new Float32Array(H);
    this.mby = new Float32Array(V);

    // activations: hs row 0 is the initial state h[-1], row t+1 is h[t]
    this.hs = new Float32Array((T + 1) * H);
    this.ps = new Float32Array(T * V);
    this.hprev = new Float32Array(H);
    this.dy = new Float32Array(V);
    this.dh = new Float32Array(H);
    this.dhraw = new Float32Array(H);
    this.dhnext = new Float32Array(H);

    this.n = 0; // iteration counter
    this.p = 0; // data pointer
    this._smoothLoss = -Math.log(1 / V) * T;
  }

  /** Replace the initial weights (flat row-major arrays). Resets training state. */
  loadInit({ Wxh, Whh, Why, bh, by }: PlainWeights): void {
    const set = (dst: Float32Array, src: ArrayLike<number> | undefined, name: string): void => {
      if (!src || src.length !== dst.length) {
        throw new RangeError(`${name}: expected ${dst.length} values, got ${src ? src.length : src}`);
      }
      for (let i = 0; i < dst.length; i++) dst[i] = src[i]!;
    };
    set(this.Wxh, Wxh, 'Wxh');
    set(this.Whh, Whh, 'Whh');
    set(this.Why, Why, 'Why');
    set(this.bh, bh ?? new Float32Array(this.H), 'bh');
    set(this.by, by ?? new Float32Array(this.V), 'by');
    for (const m of [this.mWxh, this.mWhh, this.mWhy, this.mbh, this.mby]) m.fill(0);
    this.hprev.fill(0);
    this.n = 0;
    this.p = 0;
    this._smoothLoss = -Math.log(1 / this.V) * this.T;
  }

  get smoothLoss(): number {
    return this._smoothLoss;
  }

  get iteration(): number {
    return this.n;
  }

  get position(): number {
    return this.p;
  }

  params(): Record<'Wxh' | 'Whh' | 'Why' | 'bh' | 'by', Float32Array> {
    return {
      Wxh: this.Wxh.slice(),
      Whh: this.Whh.slice(),
      Why: this.Why.slice(),
      bh: this.bh.slice(),
      by: this.by.slice(),
    };
  }

  /**
   * Forward + backward over one window. inputs are indices[p .. p+T-1], targets are
   * indices[p+1 .. p+T]. Uses this.hprev as h[-1]; leaves clipped gradients in
   * this.d*, and h[T-1] in this.hprev. Returns the summed cross-entropy loss.
   */
  lossFun(p: number): number {
    const { V, H, T, indices, Wxh, Whh, Why, bh, by, hs, ps } = this;
    const { dWxh, dWhh, dWhy, dbh, dby, dy, dh, dhraw, dhnext } = this;

    hs.set(this.hprev, 0); // h[-1] = hprev, stored as row 0
    let loss = 0;

    // forward
    for (let t = 0; t < T; t++) {
      const x = indices[p + t];
      const target = indices[p + t + 1];
      const hPrevOff = t * H;
      const hOff = (t + 1) * H;
      for (let i = 0; i < H; i++) {
        let s = Wxh[i * V + x] + bh[i];
        const row = i * H;
        for (let j = 0; j < H; j++) s += Whh[row + j] * hs[hPrevOff + j];
        hs[hOff + i] = Math.tanh(s);
      }
      // logits y = Why·h + by, written into ps then turned into probabilities
      const pOff = t * V;
      let maxY = -Infinity;
      for (let k = 0; k < V; k++) {
        let s = by[k];
        const row = k * H;
        for (let i = 0; i < H; i++) s += Why[row + i] * hs[hOff + i];
        ps[pOff + k] = s;
        if (s > maxY) maxY = s;
      }
      let sum = 0;
      for (let k = 0; k < V; k++) {
        const e = Math.exp(ps[pOff + k] - maxY);
        ps[pOff + k] = e;
        sum += e;
      }
      const eTarget = ps[pOff + target];
      for (let k = 0; k < V; k++) ps[pOff + k] /= sum;
      loss += -Math.log(eTarget / sum);
    }

    // backward
    dWxh.fill(0);
    dWhh.fill(0);
    dWhy.fill(0);
    dbh.fill(0);
    dby.fill(0);
    dhnext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const x = indices[p + t];
      const target = indices[p + t + 1];
      const hPrevOff = t * H;
      const hOff = (t + 1) * H;
      const pOff = t * V;
      for (let k = 0; k < V; k++) dy[k] = ps[pOff + k];
      dy[target] -= 1;
      // dWhy += dy ⊗ h[t]; dby += dy; dh = Why^T·dy + dhnext
      for (let i = 0; i < H; i++) dh[i] = dhnext[i];
      for (let k = 0; k < V; k++) {
        const d = dy[k];
        const row = k * H;
        dby[k] += d;
        for (let i = 0; i < H; i++) {
          dWhy[row + i] += d * hs[hOff + i];
          dh[i] += Why[row + i] * d;
        }
      }
      // tanh backward
      for (let i = 0; i < H; i++) {
        const h = hs[hOff + i];
        dhraw[i] = (1 - h * h) * dh[i];
      }
      // dbh, dWxh column, dWhh += dhraw ⊗ h[t-1], dhnext = Whh^T·dhraw
      dhnext.fill(0);
      for (let i = 0; i < H; i++) {
        const d = dhraw[i];
        const row = i * H;
        dbh[i] += d;
        dWxh[i * V + x] += d;
        for (let j = 0; j < H; j++) {
          dWhh[row + j] += d * hs[hPrevOff + j];
          dhnext[j] += Whh[row + j] * d;
        }
      }
    }

    // clip to [-5, 5]
    clip5(dWxh);
    clip5(dWhh);
    clip5(dWhy);
    clip5(dbh);
    clip5(dby);

    // the returned hidden state h[T-1]
    this.hprev.set(hs.subarray(T * H, (T + 1) * H));
    return loss;
  }

  /** One iteration of the reference training loop. Returns the loss. */
  step(): number {
    const { T } = this;
    if (this.p + T + 1 >= this.indices.length || this.n === 0) {
      this.hprev.fill(0);
      this.p = 0;
    }
    const loss = this.lossFun(this.p);
    this._smoothLoss = this._smoothLoss * 0.999 + loss * 0.001;

    // Adagrad
    const lr = this.lr;
    adagrad(this.Wxh, this.dWxh, this.mWxh, lr);
    adagrad(this.Whh, this.dWhh, this.mWhh, lr);
    adagrad(this.Why, this.dWhy, this.mWhy, lr);
    adagrad(this.bh, this.dbh, this.mbh, lr);
    adagrad(this.by, this.dby, this.mby, lr);

    this.p += T;
    this.n += 1;
    return loss;
  }

  /** Run `iterations` steps; returns the last loss. */
  train(iterations: number): number {
    let loss = NaN;
    for (let i = 0; i < iterations; i++) loss = this.step();
    return loss;
  }
}
