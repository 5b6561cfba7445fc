// f32x4 matrix kernels over linear memory: the matrix products of a training step.
//
// Pointers are byte addresses; outputs first, dimensions last. W is row-major [R,C].
// N counts vectors: the B streams of one time step, or all T·B of a window. Vector n
// starts at base + n·ld floats, so one call serves them all and each weight load is used
// by more than one of them. Loads may be unaligned, every R, C and N is allowed (tails
// are scalar), and wasm SIMD arithmetic is IEEE, so a shape always gives the same bytes
// on every runtime.
//
// Summation order, fixed so that a vector's result never depends on N or on how rows
// are blocked (B = 1 and any batch round alike):
//   matmulAcc   out[n,r] += hsum(Σ over 4-lane chunks of c) + (Σ over the tail c, in order)
//               where hsum(a) = (a0 + a2) + (a1 + a3)
//   matmulTAcc  out[n,c] += W[0,c]·A[n,0], then + W[1,c]·A[n,1], ... (r in order); the
//               columns past the last multiple of 16 add even and odd rows apart, then both
//   outerAcc    dW[r,c] += A[0,r]·X[0,c], then + A[1,r]·X[1,c], ... (n in order)
// scalar.ts holds the plain loops these are tested and benchmarked against.
//
// Scalars are broadcast with v128.load32_splat, one load instruction; f32x4.splat of a
// load is a load and a shuffle on the ports the multiplies and adds need (the splat form
// measured 10-17% slower in Wᵀ·d and the outer products at batch 32).
//
// V8 gives wasm about 14 vector registers: kernels keep at most eight accumulators
// (measured: sixteen columns of Wᵀ·d in eight registers ran at half the speed of four).

/** Lane sums of four vectors: [hsum a, hsum b, hsum c, hsum d]. */
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  let ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  let cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

/** (a0 + a2) + (a1 + a3), lane for lane what hsum4 computes. */
@inline function hsum(a: v128): f32 {
  let s = f32x4.add(a, v128.shuffle<f32>(a, a, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/** Σ_{c in [c0, C)} w[c]·x[c] in order, from 0: the part of a dot product past the last full chunk. */
@inline function dotTail(w: usize, x: usize, c0: i32, C: i32): f32 {
  let s: f32 = 0;
  for (let c = c0; c < C; c++) s += load<f32>(w + (<usize>c << 2)) * load<f32>(x + (<usize>c << 2));
  return s;
}

/** The tails of four consecutive rows starting at w, as one vector. */
@inline function dotTail4(w: usize, rowBytes: usize, x: usize, c0: i32, C: i32): v128 {
  let t = f32x4.splat(dotTail(w, x, c0, C));
  t = f32x4.replace_lane(t, 1, dotTail(w + rowBytes, x, c0, C));
  t = f32x4.replace_lane(t, 2, dotTail(w + 2 * rowBytes, x, c0, C));
  return f32x4.replace_lane(t, 3, dotTail(w + 3 * rowBytes, x, c0, C));
}

/** out[0..4) += s (+ the four rows' tails when C is not a multiple of 4). */
@inline function addRows4(out: usize, s: v128, w: usize, rowBytes: usize, x: usize, C4: i32, C: i32): void {
  if (C4 < C) s = f32x4.add(s, dotTail4(w, rowBytes, x, C4, C));
  v128.store(out, f32x4.add(v128.load(out), s));
}

/** One row, one stream: out[0] += w·x. */
@inline function dotRow(out: usize, w: usize, x: usize, C4: i32, C: i32): void {
  let a = f32x4.splat(0);
  for (let c = 0; c < C4; c += 4) {
    let o = <usize>c << 2;
    a = f32x4.add(a, f32x4.mul(v128.load(w + o), v128.load(x + o)));
  }
  store<f32>(out, load<f32>(out) + (hsum(a) + dotTail(w, x, C4, C)));
}

// The W·x kernels walk one pointer down the rows of a block (q += rowBytes) instead of
// keeping a pointer per row: eight live row pointers spill general registers in V8, and
// the walking form measured 12% faster.

/** One stream: out[r] += Σ_c W[r,c]·x[c], eight rows per pass (eight accumulators, x loaded once per chunk). */
function matvecAcc(out: usize, W: usize, x: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2;
  let C4 = C & ~3;
  let xEnd = x + (<usize>C4 << 2);
  let r = 0;
  for (; r + 8 <= R; r += 8) {                       // rows r..r+8 of [R,C]
    let w = W + <usize>r * rowBytes;
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (let xp = x, wc = w; xp < xEnd; xp += 16, wc += 16) {  // columns in chunks of 4
      let xv = v128.load(xp);
      let q = wc;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a1 = f32x4.add(a1, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a2 = f32x4.add(a2, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a3 = f32x4.add(a3, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a4 = f32x4.add(a4, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a5 = f32x4.add(a5, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a6 = f32x4.add(a6, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a7 = f32x4.add(a7, f32x4.mul(v128.load(q), xv));
    }
    let po = out + (<usize>r << 2);
    addRows4(po, hsum4(a0, a1, a2, a3), w, rowBytes, x, C4, C);
    addRows4(po + 16, hsum4(a4, a5, a6, a7), w + 4 * rowBytes, rowBytes, x, C4, C);
  }
  if (r + 4 <= R) {                                  // four more rows
    let w = W + <usize>r * rowBytes;
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
    for (let xp = x, wc = w; xp < xEnd; xp += 16, wc += 16) {
      let xv = v128.load(xp);
      let q = wc;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a1 = f32x4.add(a1, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a2 = f32x4.add(a2, f32x4.mul(v128.load(q), xv)); q += rowBytes;
      a3 = f32x4.add(a3, f32x4.mul(v128.load(q), xv));
    }
    addRows4(out + (<usize>r << 2), hsum4(a0, a1, a2, a3), w, rowBytes, x, C4, C);
    r += 4;
  }
  for (; r < R; r++) dotRow(out + (<usize>r << 2), W + <usize>r * rowBytes, x, C4, C);
}

/** Two streams: out0[r] += W[r]·x0, out1[r] += W[r]·x1, four rows per pass (each W load used twice). */
function matvecAcc2(out0: usize, out1: usize, W: usize, x0: usize, x1: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2;
  let C4 = C & ~3;
  let cBytes = <usize>C4 << 2;
  let dx = x1 - x0;
  let r = 0;
  for (; r + 4 <= R; r += 4) {                       // rows r..r+4 of [R,C], streams 0 and 1
    let w = W + <usize>r * rowBytes;
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
    for (let o: usize = 0; o < cBytes; o += 16) {
      let u = v128.load(x0 + o), v = v128.load(x0 + dx + o);
      let q = w + o;
      let m = v128.load(q); q += rowBytes;
      a0 = f32x4.add(a0, f32x4.mul(m, u)); b0 = f32x4.add(b0, f32x4.mul(m, v));
      m = v128.load(q); q += rowBytes;
      a1 = f32x4.add(a1, f32x4.mul(m, u)); b1 = f32x4.add(b1, f32x4.mul(m, v));
      m = v128.load(q); q += rowBytes;
      a2 = f32x4.add(a2, f32x4.mul(m, u)); b2 = f32x4.add(b2, f32x4.mul(m, v));
      m = v128.load(q);
      a3 = f32x4.add(a3, f32x4.mul(m, u)); b3 = f32x4.add(b3, f32x4.mul(m, v));
    }
    addRows4(out0 + (<usize>r << 2), hsum4(a0, a1, a2, a3), w, rowBytes, x0, C4, C);
    addRows4(out1 + (<usize>r << 2), hsum4(b0, b1, b2, b3), w, rowBytes, x1, C4, C);
  }
  for (; r < R; r++) {
    let w = W + <usize>r * rowBytes, o = <usize>r << 2;
    dotRow(out0 + o, w, x0, C4, C);
    dotRow(out1 + o, w, x1, C4, C);
  }
}

/** out[n,r] += Σ_c W[r,c]·X[n,c]        out [N,ldo], W [R,C], X [N,ldx]   (W·x per stream) */
export function matmulAcc(out: usize, W: usize, X: usize, R: i32, C: i32, N: i32, ldo: i32, ldx: i32): void {
  let so = <usize>ldo << 2, sx = <usize>ldx << 2;
  let n = 0;
  for (; n + 2 <= N; n += 2) {                       // streams in pairs
    let o = out + <usize>n * so, x = X + <usize>n * sx;
    matvecAcc2(o, o + so, W, x, x + sx, R, C);
  }
  if (n < N) matvecAcc(out + <usize>n * so, W, X + <usize>n * sx, R, C);
}

/** out[n,c] += Σ_r W[r,c]·A[n,r]        out [N,ldo], W [R,C], A [N,lda]   (Wᵀ·a per stream) */
export function matmulTAcc(out: usize, W: usize, A: usize, R: i32, C: i32, N: i32, ldo: i32, lda: i32): void {
  let rowBytes = <usize>C << 2, so = <usize>ldo << 2, sa = <usize>lda << 2;
  let n = 0;
  for (; n + 2 <= N; n += 2) {                       // streams in pairs: each W load used twice
    let o0 = out + <usize>n * so, o1 = o0 + so;
    let d0 = A + <usize>n * sa, d1 = d0 + sa;
    let c = 0;
    for (; c + 16 <= C; c += 16) {                   // 16 columns × 2 streams in eight registers
      let p0 = o0 + (<usize>c << 2), p1 = o1 + (<usize>c << 2);
      let a0 = v128.load(p0), a1 = v128.load(p0, 16), a2 = v128.load(p0, 32), a3 = v128.load(p0, 48);
      let b0 = v128.load(p1), b1 = v128.load(p1, 16), b2 = v128.load(p1, 32), b3 = v128.load(p1, 48);
      let w = W + (<usize>c << 2);
      for (let r = 0; r < R; r++) {                  // rows in order
        let ro = <usize>r << 2;
        let u = v128.load32_splat(d0 + ro), v = v128.load32_splat(d1 + ro);
        let m0 = v128.load(w), m1 = v128.load(w, 16), m2 = v128.load(w, 32), m3 = v128.load(w, 48);
        a0 = f32x4.add(a0, f32x4.mul(m0, u)); b0 = f32x4.add(b0, f32x4.mul(m0, v));
        a1 = f32x4.add(a1, f32x4.mul(m1, u)); b1 = f32x4.add(b1, f32x4.mul(m1, v));
        a2 = f32x4.add(a2, f32x4.mul(m2, u)); b2 = f32x4.add(b2, f32x4.mul(m2, v));
        a3 = f32x4.add(a3, f32x4.mul(m3, u)); b3 = f32x4.add(b3, f32x4.mul(m3, v));
        w += rowBytes;
      }
      v128.store(p0, a0); v128.store(p0, a1, 16); v128.store(p0, a2, 32); v128.store(p0, a3, 48);
      v128.store(p1, b0); v128.store(p1, b1, 16); v128.store(p1, b2, 32); v128.store(p1, b3, 48);
    }
    matvecTAccFrom(o0, W, d0, R, C, c);
    matvecTAccFrom(o1, W, d1, R, C, c);
  }
  if (n < N) matvecTAccFrom(out + <usize>n * so, W, A + <usize>n * sa, R, C, 0);
}

/**
 * One stream, columns [c0, C): out[c] += Σ_r W[r,c]·d[r]. 16 columns in four registers per
 * pass (eight accumulators spill in V8 and run at half the speed); the last 4-column
 * chunks alternate two accumulators over the rows so the add latency overlaps.
 */
function matvecTAccFrom(out: usize, W: usize, d: usize, R: i32, C: i32, c0: i32): void {
  let rowBytes = <usize>C << 2;
  let c = c0;
  for (; c + 16 <= C; c += 16) {                     // 16 columns of [R,C] held across all rows
    let po = out + (<usize>c << 2);
    let a0 = v128.load(po), a1 = v128.load(po, 16), a2 = v128.load(po, 32), a3 = v128.load(po, 48);
    let w = W + (<usize>c << 2);
    for (let r = 0; r < R; r++) {
      let u = v128.load32_splat(d + (<usize>r << 2));
      a0 = f32x4.add(a0, f32x4.mul(v128.load(w), u));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(w, 16), u));
      a2 = f32x4.add(a2, f32x4.mul(v128.load(w, 32), u));
      a3 = f32x4.add(a3, f32x4.mul(v128.load(w, 48), u));
      w += rowBytes;
    }
    v128.store(po, a0); v128.store(po, a1, 16); v128.store(po, a2, 32); v128.store(po, a3, 48);
  }
  for (; c + 4 <= C; c += 4) {                       // 4 columns: even rows into a, odd rows into b
    let po = out + (<usize>c << 2);
    let a = v128.load(po), b = f32x4.splat(0);
    let w = W + (<usize>c << 2);
    let r = 0;
    for (; r + 2 <= R; r += 2) {
      let dr = d + (<usize>r << 2);
      a = f32x4.add(a, f32x4.mul(v128.load(w), v128.load32_splat(dr)));
      b = f32x4.add(b, f32x4.mul(v128.load(w + rowBytes), v128.load32_splat(dr, 4)));
      w += rowBytes << 1;
    }
    if (r < R) a = f32x4.add(a, f32x4.mul(v128.load(w), v128.load32_splat(d + (<usize>r << 2))));
    v128.store(po, f32x4.add(a, b));
  }
  for (; c < C; c++) {                               // the last C % 4 columns
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

/**
 * dW[r,c] += Σ_n A[n,r]·X[n,c]        dW [R,C], A [N,lda], X [N,ldx]   (outer products summed over streams)
 * Streams go in chunks of OUTER_CHUNK so that X's chunk stays in L1 while every row of dW
 * passes over it; dW is then read and written once per chunk. The few A values a group
 * of rows needs are packed side by side first: read in place, a column of A strides by
 * lda floats, and at lda = 512 (an LSTM's four gates of 128) every one of them falls in
 * the same two L1 sets and was reloaded from L2 for each block of 16 columns.
 */
export function outerAcc(dW: usize, A: usize, X: usize, R: i32, C: i32, N: i32, lda: i32, ldx: i32): void {
  let sa = <usize>lda << 2, sx = <usize>ldx << 2;
  for (let n = 0; n < N; n += OUTER_CHUNK) {
    outerAccChunk(dW, A + <usize>n * sa, X + <usize>n * sx, R, C, min(OUTER_CHUNK, N - n), sa, sx);
  }
}

const OUTER_CHUNK = 128;
/** A[n, r..r+k) for the n of a chunk, as [n][k] (k ≤ 4). */
const PACKED: usize = memory.data(OUTER_CHUNK * 4 * 4, 16);

/** Packs k consecutive values from each of N rows of A (at ar, sa bytes apart) into PACKED; returns its row stride in bytes. */
@inline function pack(ar: usize, k: i32, N: i32, sa: usize): usize {
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < k; j++) store<f32>(PACKED + (<usize>(n * k + j) << 2), load<f32>(ar + <usize>n * sa + (<usize>j << 2)));
  }
  return <usize>k << 2;
}

function outerAccChunk(dW: usize, A: usize, X: usize, R: i32, C: i32, N: i32, sa: usize, sx: usize): void {
  let rowBytes = <usize>C << 2;
  let C16 = C & ~15;
  let r = 0;
  if (C16 > 0) {
    for (; r + 2 <= R; r += 2) {
      let ar = A + (<usize>r << 2);
      outerRows2(dW + <usize>r * rowBytes, PACKED, X, C16, rowBytes, N, pack(ar, 2, N, sa), sx);
    }
    if (r < R) outerRow1(dW + <usize>r * rowBytes, PACKED, X, 0, C16, N, pack(A + (<usize>r << 2), 1, N, sa), sx);
  }
  if (C16 == C) return;
  // The last C % 16 columns, four rows at a time: one 4-column accumulator per row is a
  // chain of N dependent adds, so four rows side by side keep the adder busy.
  r = 0;
  for (; r + 4 <= R; r += 4) outerTail4(dW + <usize>r * rowBytes, PACKED, X, C16, C, N, pack(A + (<usize>r << 2), 4, N, sa), sx);
  for (; r < R; r++) outerRow1(dW + <usize>r * rowBytes, PACKED, X, C16, C, N, pack(A + (<usize>r << 2), 1, N, sa), sx);
}

/** Columns [c0, C) of four rows of dW (at `row`) += Σ_n A[n,r..r+3]·X[n,:]. */
function outerTail4(row: usize, ar: usize, X: usize, c0: i32, C: i32, N: i32, sa: usize, sx: usize): void {
  let rowBytes = <usize>C << 2;
  let c = c0;
  for (; c + 4 <= C; c += 4) {
    let p = row + (<usize>c << 2);
    let g0 = v128.load(p), g1 = v128.load(p + rowBytes), g2 = v128.load(p + 2 * rowBytes), g3 = v128.load(p + 3 * rowBytes);
    let x = X + (<usize>c << 2), a = ar;
    for (let n = 0; n < N; n++) {                    // streams in order
      let xv = v128.load(x);
      g0 = f32x4.add(g0, f32x4.mul(v128.load32_splat(a), xv));
      g1 = f32x4.add(g1, f32x4.mul(v128.load32_splat(a, 4), xv));
      g2 = f32x4.add(g2, f32x4.mul(v128.load32_splat(a, 8), xv));
      g3 = f32x4.add(g3, f32x4.mul(v128.load32_splat(a, 12), xv));
      x += sx; a += sa;
    }
    v128.store(p, g0); v128.store(p + rowBytes, g1); v128.store(p + 2 * rowBytes, g2); v128.store(p + 3 * rowBytes, g3);
  }
  for (let i = 0; i < 4 && c < C; i++) {             // the last C % 4 columns, row by row
    outerRow1(row + <usize>i * rowBytes, ar + (<usize>i << 2), X, c, C, N, sa, sx);
  }
}

/** Columns [0, C16) of rows r, r+1 of dW (at `row`) += Σ_n A[n,r..r+1]·X[n,:]: each X load serves both rows. */
@inline function outerRows2(row: usize, ar: usize, X: usize, C16: i32, rowBytes: usize, N: i32, sa: usize, sx: usize): void {
  for (let c = 0; c < C16; c += 16) {                     // 16 columns × 2 rows in eight registers
    let p = row + (<usize>c << 2), q = p + rowBytes;
    let g0 = v128.load(p), g1 = v128.load(p, 16), g2 = v128.load(p, 32), g3 = v128.load(p, 48);
    let h0 = v128.load(q), h1 = v128.load(q, 16), h2 = v128.load(q, 32), h3 = v128.load(q, 48);
    let x = X + (<usize>c << 2), a = ar;
    for (let n = 0; n < N; n++) {                    // streams in order
      let u = v128.load32_splat(a), v = v128.load32_splat(a, 4);
      let x0 = v128.load(x), x1 = v128.load(x, 16), x2 = v128.load(x, 32), x3 = v128.load(x, 48);
      g0 = f32x4.add(g0, f32x4.mul(u, x0)); h0 = f32x4.add(h0, f32x4.mul(v, x0));
      g1 = f32x4.add(g1, f32x4.mul(u, x1)); h1 = f32x4.add(h1, f32x4.mul(v, x1));
      g2 = f32x4.add(g2, f32x4.mul(u, x2)); h2 = f32x4.add(h2, f32x4.mul(v, x2));
      g3 = f32x4.add(g3, f32x4.mul(u, x3)); h3 = f32x4.add(h3, f32x4.mul(v, x3));
      x += sx; a += sa;
    }
    v128.store(p, g0); v128.store(p, g1, 16); v128.store(p, g2, 32); v128.store(p, g3, 48);
    v128.store(q, h0); v128.store(q, h1, 16); v128.store(q, h2, 32); v128.store(q, h3, 48);
  }
}

/** Columns [c0, C) of one row of dW (at `row`) += Σ_n A[n,r]·X[n,:] (A at `ar` = &A[0,r]). */
function outerRow1(row: usize, ar: usize, X: usize, c0: i32, C: i32, N: i32, sa: usize, sx: usize): void {
  let c = c0;
  for (; c + 16 <= C; c += 16) {                     // 16 columns in four registers
    let p = row + (<usize>c << 2);
    let g0 = v128.load(p), g1 = v128.load(p, 16), g2 = v128.load(p, 32), g3 = v128.load(p, 48);
    let x = X + (<usize>c << 2), a = ar;
    for (let n = 0; n < N; n++) {
      let u = v128.load32_splat(a);
      g0 = f32x4.add(g0, f32x4.mul(u, v128.load(x)));
      g1 = f32x4.add(g1, f32x4.mul(u, v128.load(x, 16)));
      g2 = f32x4.add(g2, f32x4.mul(u, v128.load(x, 32)));
      g3 = f32x4.add(g3, f32x4.mul(u, v128.load(x, 48)));
      x += sx; a += sa;
    }
    v128.store(p, g0); v128.store(p, g1, 16); v128.store(p, g2, 32); v128.store(p, g3, 48);
  }
  for (; c + 4 <= C; c += 4) {
    let p = row + (<usize>c << 2);
    let g = v128.load(p);
    let x = X + (<usize>c << 2), a = ar;
    for (let n = 0; n < N; n++) {
      g = f32x4.add(g, f32x4.mul(v128.load32_splat(a), v128.load(x)));
      x += sx; a += sa;
    }
    v128.store(p, g);
  }
  for (; c < C; c++) {
    let p = row + (<usize>c << 2);
    let g = load<f32>(p);
    let x = X + (<usize>c << 2), a = ar;
    for (let n = 0; n < N; n++) {
      g += load<f32>(a) * load<f32>(x);
      x += sx; a += sa;
    }
    store<f32>(p, g);
  }
}

/** db[r] += Σ_k A[k,r] for r < R, rows k in order (a bias gradient).   A [K,lda], db [R] */
export function sumRowsAcc(db: usize, A: usize, K: i32, R: i32, lda: i32): void {
  let R4 = R & ~3;
  for (let k = 0; k < K; k++) {
    let row = A + (<usize>(k * lda) << 2);
    let r = 0;
    for (; r < R4; r += 4) {
      let o = <usize>r << 2;
      v128.store(db + o, f32x4.add(v128.load(db + o), v128.load(row + o)));
    }
    for (; r < R; r++) {
      let o = <usize>r << 2;
      store<f32>(db + o, load<f32>(db + o) + load<f32>(row + o));
    }
  }
}

/** Every row of out gets b: out[k,r] = b[r] for r < R (the bias a matrix product then adds to).   out [K,ldo], b [R] */
export function fillRows(out: usize, b: usize, K: i32, R: i32, ldo: i32): void {
  for (let k = 0; k < K; k++) memory.copy(out + (<usize>(k * ldo) << 2), b, <usize>R << 2);
}
