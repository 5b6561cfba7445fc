// f32x4 matrix kernels over linear memory. Pointers are byte addresses; outputs first,
// dimensions last. Matrices are row-major [R,C]; rows need not be 16-byte aligned
// (wasm SIMD loads may be unaligned), and every kernel handles any R and C with scalar
// tails, so results are deterministic for a given shape.

/** Lane sums of four vectors: [Σa, Σb, Σc, Σd]. */
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  let ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  let cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

@inline function hsum(a: v128): f32 {
  let s = f32x4.add(a, v128.shuffle<f32>(a, a, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/** out[r] += Σ_c W[r,c]·x[c]        out [R], W [R,C], x [C] */
export function matvecAcc(out: usize, W: usize, x: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2;
  let C4 = C & ~3;
  let r = 0;
  for (; r + 4 <= R; r += 4) {
    let w0 = W + <usize>r * rowBytes, w1 = w0 + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) {
      let o = <usize>c << 2;
      let xv = v128.load(x + o);
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w0 + o), xv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w1 + o), xv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w2 + o), xv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w3 + o), xv));
    }
    let s = hsum4(a0, a1, a2, a3);
    let s0 = f32x4.extract_lane(s, 0), s1 = f32x4.extract_lane(s, 1);
    let s2 = f32x4.extract_lane(s, 2), s3 = f32x4.extract_lane(s, 3);
    for (let c = C4; c < C; c++) {
      let o = <usize>c << 2;
      let xc = load<f32>(x + o);
      s0 += load<f32>(w0 + o) * xc; s1 += load<f32>(w1 + o) * xc;
      s2 += load<f32>(w2 + o) * xc; s3 += load<f32>(w3 + o) * xc;
    }
    let po = out + (<usize>r << 2);
    store<f32>(po, load<f32>(po) + s0);
    store<f32>(po + 4, load<f32>(po + 4) + s1);
    store<f32>(po + 8, load<f32>(po + 8) + s2);
    store<f32>(po + 12, load<f32>(po + 12) + s3);
  }
  for (; r < R; r++) {
    let w = W + <usize>r * rowBytes;
    let a = f32x4.splat(0);
    for (let c = 0; c < C4; c += 4) {
      let o = <usize>c << 2;
      a = f32x4.add(a, f32x4.mul(v128.load(w + o), v128.load(x + o)));
    }
    let s = hsum(a);
    for (let c = C4; c < C; c++) s += load<f32>(w + (<usize>c << 2)) * load<f32>(x + (<usize>c << 2));
    let po = out + (<usize>r << 2);
    store<f32>(po, load<f32>(po) + s);
  }
}

/** out[c] += Σ_r W[r,c]·d[r]        out [C], W [R,C], d [R]   (Wᵀ·d) */
export function matvecTAcc(out: usize, W: usize, d: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2;
  let c = 0;
  // 16 columns held in four registers across all rows.
  for (; c + 16 <= C; c += 16) {
    let po = out + (<usize>c << 2);
    let a0 = v128.load(po), a1 = v128.load(po, 16), a2 = v128.load(po, 32), a3 = v128.load(po, 48);
    let w = W + (<usize>c << 2);
    for (let r = 0; r < R; r++) {
      let dv = f32x4.splat(load<f32>(d + (<usize>r << 2)));
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w), dv));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), dv));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), dv));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), dv));
      w += rowBytes;
    }
    v128.store(po, a0); v128.store(po, a1, 16); v128.store(po, a2, 32); v128.store(po, a3, 48);
  }
  for (; c + 4 <= C; c += 4) {
    let po = out + (<usize>c << 2);
    let a = v128.load(po);
    let w = W + (<usize>c << 2);
    for (let r = 0; r < R; r++) {
      a = f32x4.add(a, f32x4.mul(v128.load(w), f32x4.splat(load<f32>(d + (<usize>r << 2)))));
      w += rowBytes;
    }
    v128.store(po, a);
  }
  for (; c < C; c++) {
    let po = out + (<usize>c << 2);
    let s = load<f32>(po);
    let w = W + (<usize>c << 2);
    for (let r = 0; r < R; r++) {
      s += load<f32>(w) * load<f32>(d + (<usize>r << 2));
      w += rowBytes;
    }
    store<f32>(po, s);
  }
}

/** dW[r,c] += a[r]·b[c]        dW [R,C], a [R], b [C]   (outer product) */
export function outerAcc(dW: usize, a: usize, b: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2;
  let C4 = C & ~3;
  for (let r = 0; r < R; r++) {
    let ar = load<f32>(a + (<usize>r << 2));
    let av = f32x4.splat(ar);
    let row = dW + <usize>r * rowBytes;
    for (let c = 0; c < C4; c += 4) {
      let o = <usize>c << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), f32x4.mul(av, v128.load(b + o))));
    }
    for (let c = C4; c < C; c++) {
      let o = <usize>c << 2;
      store<f32>(row + o, load<f32>(row + o) + ar * load<f32>(b + o));
    }
  }
}

/** Fills n floats (n a multiple of 4) with 0. */
export function zero4(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}
