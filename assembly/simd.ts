// f32x4 matrix kernels over linear memory: the matrix products of a training step.
//
// Pointers are byte addresses; outputs first, dimensions last. W is row-major [R,C].
// N counts vectors: the B streams of one time step, or all T·B of a window. Vector n
// starts at base + n·ld floats, so one call serves them all and each weight load is used
// by more than one of them. Loads may be unaligned, every R, C and N is allowed (tails
// are scalar), and wasm SIMD arithmetic is IEEE, so a shape always gives the same bytes
// on every runtime. Every multiply-add is madd (madd.ts): a·b + c rounded twice in the
// default build, once in the fused one.
//
// With four vectors or more, the kernels work on register tiles of 4 vectors × 8 outputs:
// eight accumulators, each step one broadcast (v128.load32_splat) per vector and two
// loads of 8 packed weights. The weights come packed once per update (packRowPanels,
// packColPanels; panels.ts keeps them, for shards of four streams or more), so that a
// tile reads them contiguously: in place,
// the 8 values of a step lie one row of W apart, and at 512-byte rows every one of them
// falls in the same few L1 sets and comes from L2. V8 gives wasm about 14 vector
// registers: tiles of 12 accumulators (6×8, 3×16) spill and ran at half the speed.
//
// Summation order, fixed so that a vector's result never depends on how vectors or rows
// are blocked (the tiles keep matmulTAcc's and outerAcc's order; only W·x's has two):
//   matmulAcc   N ≥ 4 with panels: out[n,r] += (W[r,0]·X[n,0] + W[r,1]·X[n,1] + ...), c in order
//               N < 4 or no panels: out[n,r] += hsum(Σ over 4-lane chunks of c) + (Σ over the tail c, in order)
//               where hsum(a) = (a0 + a2) + (a1 + a3) (the dot form: one stream reads W once)
//   matmulTAcc  out[n,c] += W[0,c]·A[n,0], then + W[1,c]·A[n,1], ... (r in order); the
//               columns past the last multiple of 16 add even and odd rows apart, then both
//   outerAcc    dW[r,c] += A[0,r]·X[0,c], then + A[1,r]·X[1,c], ... (n in order)
// scalar.ts holds the plain loops these are tested and benchmarked against.
//
// Scalars are broadcast with v128.load32_splat, one load instruction; f32x4.splat of a
// load is a load and a shuffle on the ports the multiplies and adds need (the splat form
// measured 10-17% slower in Wᵀ·d and the outer products at batch 32).
import { madd } from "./madd";

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
    a = madd(v128.load(w + o), v128.load(x + o), a);
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
      a0 = madd(v128.load(q), xv, a0); q += rowBytes;
      a1 = madd(v128.load(q), xv, a1); q += rowBytes;
      a2 = madd(v128.load(q), xv, a2); q += rowBytes;
      a3 = madd(v128.load(q), xv, a3); q += rowBytes;
      a4 = madd(v128.load(q), xv, a4); q += rowBytes;
      a5 = madd(v128.load(q), xv, a5); q += rowBytes;
      a6 = madd(v128.load(q), xv, a6); q += rowBytes;
      a7 = madd(v128.load(q), xv, a7);
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
      a0 = madd(v128.load(q), xv, a0); q += rowBytes;
      a1 = madd(v128.load(q), xv, a1); q += rowBytes;
      a2 = madd(v128.load(q), xv, a2); q += rowBytes;
      a3 = madd(v128.load(q), xv, a3);
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
      a0 = madd(m, u, a0); b0 = madd(m, v, b0);
      m = v128.load(q); q += rowBytes;
      a1 = madd(m, u, a1); b1 = madd(m, v, b1);
      m = v128.load(q); q += rowBytes;
      a2 = madd(m, u, a2); b2 = madd(m, v, b2);
      m = v128.load(q);
      a3 = madd(m, u, a3); b3 = madd(m, v, b3);
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

// Packed weights. Row panels serve W·x: 8 rows side by side per column, so a tile's step
// over c reads 32 contiguous bytes; when R % 8 is 1 to 4 the last panel is 4 rows wide
// (a decoder of V 65 would compute 72 rows in 8-wide panels, 68 this way). Column panels
// serve Wᵀ·a: 8 columns per row, for the columns of full 16-column blocks only (the rest
// keep today's order, read in place).

/** Rows in W [R,C]'s last row panel: 8, or 4 when R % 8 is 1 to 4. */
@inline function lastPanelRows(R: i32): i32 { let tail = R & 7; return tail == 0 || tail > 4 ? 8 : 4; }

/** Floats of W [R,C]'s row panels.   [R/8][C][8], then [C][8] or [C][4] for the last R % 8 rows */
export function rowPanelFloats(R: i32, C: i32): i32 { return ((R & ~7) + ((R & 7) == 0 ? 0 : lastPanelRows(R))) * C; }

/** Floats of W [R,C]'s column panels.   [C16/8][R][8], C16 = C rounded down to 16 */
export function colPanelFloats(R: i32, C: i32): i32 { return (C & ~15) * R; }

/** P[p][c][j] = W[8p+j, c] (0 past row R): W [R,C]'s row panels for matmulAcc. */
export function packRowPanels(P: usize, W: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2;
  for (let r = 0; r < R; r += 8) {
    let rows = min(8, R - r), width = r + 8 <= R ? 8 : lastPanelRows(R);
    let panel = P + <usize>r * rowBytes;             // panel r/8 starts at r·C floats
    if (rows < width) memory.fill(panel, 0, rowBytes * <usize>width);
    let step = <usize>width << 2;
    for (let j = 0; j < rows; j++) {
      let w = W + <usize>(r + j) * rowBytes, q = panel + (<usize>j << 2);
      for (let c = 0; c < C; c++) store<f32>(q + <usize>c * step, load<f32>(w + (<usize>c << 2)));
    }
  }
}

/** Q[p][r][j] = W[r, 8p+j] for the columns of full 16-column blocks: W [R,C]'s column panels for matmulTAcc. */
export function packColPanels(Q: usize, W: usize, R: i32, C: i32): void {
  let rowBytes = <usize>C << 2, panelBytes = <usize>R << 5;
  let C16 = C & ~15;
  for (let c = 0; c < C16; c += 8) {
    let q = Q + <usize>(c >> 3) * panelBytes, w = W + (<usize>c << 2);
    for (let r = 0; r < R; r++) {
      v128.store(q, v128.load(w)); v128.store(q, v128.load(w, 16), 16);
      q += 32; w += rowBytes;
    }
  }
}

/** Adds the first k lanes of [lo, hi] (k < 8) to out: the last panel, with rows past R. */
function addLanes(out: usize, lo: v128, hi: v128, k: i32): void {
  v128.store(LANES, lo); v128.store(LANES, hi, 16);
  for (let j = 0; j < k; j++) {
    let o = out + (<usize>j << 2);
    store<f32>(o, load<f32>(o) + load<f32>(LANES + (<usize>j << 2)));
  }
}
const LANES: usize = memory.data(32, 16);

/** out[0..rows) += [lo, hi]. */
@inline function addTile8(out: usize, lo: v128, hi: v128, rows: i32): void {
  if (rows == 8) {
    v128.store(out, f32x4.add(v128.load(out), lo));
    v128.store(out, f32x4.add(v128.load(out, 16), hi), 16);
  } else addLanes(out, lo, hi, rows);
}

// The 4 × 8 register tile every kernel with four vectors or more runs on, and its 1 × 8
// edge: eight (two) accumulators, per step k in order one 8-wide load from a panel (32
// bytes on) and one broadcast per vector s of the f32 at a + s·sa + k·step. The output
// rows are out + s·so. `fromOut`: the sums start from the output's values and are stored
// back (Wᵀ·a, the outer products: the order the scalar forms keep); otherwise they start
// from 0 and are added to the output's first `rows` lanes after (W·x). Inlined, so that each
// caller's mode, step and strides are constants to the compiler, as in a hand-written loop.

/** out[s, 0..8) (+)= Σ_k a_s[k]·panel[k] for s < 4. */
@inline function tile4x8(out: usize, so: usize, panel: usize, a: usize, sa: usize, step: usize, K: i32, fromOut: bool, rows: i32): void {
  let o1 = out + so, o2 = o1 + so, o3 = o2 + so;
  let a0 = f32x4.splat(0), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
  if (fromOut) {
    a0 = v128.load(out); a1 = v128.load(out, 16); b0 = v128.load(o1); b1 = v128.load(o1, 16);
    c0 = v128.load(o2); c1 = v128.load(o2, 16); d0 = v128.load(o3); d1 = v128.load(o3, 16);
  }
  let end = panel + (<usize>K << 5);
  let sa2 = sa << 1, sa3 = sa2 + sa;
  for (let w = panel, p = a; w < end; w += 32, p += step) {
    let w0 = v128.load(w), w1 = v128.load(w, 16);
    let u = v128.load32_splat(p);
    a0 = madd(u, w0, a0); a1 = madd(u, w1, a1);
    u = v128.load32_splat(p + sa);
    b0 = madd(u, w0, b0); b1 = madd(u, w1, b1);
    u = v128.load32_splat(p + sa2);
    c0 = madd(u, w0, c0); c1 = madd(u, w1, c1);
    u = v128.load32_splat(p + sa3);
    d0 = madd(u, w0, d0); d1 = madd(u, w1, d1);
  }
  if (fromOut) {
    v128.store(out, a0); v128.store(out, a1, 16); v128.store(o1, b0); v128.store(o1, b1, 16);
    v128.store(o2, c0); v128.store(o2, c1, 16); v128.store(o3, d0); v128.store(o3, d1, 16);
  } else {
    addTile8(out, a0, a1, rows); addTile8(o1, b0, b1, rows); addTile8(o2, c0, c1, rows); addTile8(o3, d0, d1, rows);
  }
}

/** out[0..8) (+)= Σ_k a[k]·panel[k]: one vector, in tile4x8's order. */
@inline function tile1x8(out: usize, panel: usize, a: usize, step: usize, K: i32, fromOut: bool, rows: i32): void {
  let a0 = f32x4.splat(0), a1 = a0;
  if (fromOut) { a0 = v128.load(out); a1 = v128.load(out, 16); }
  let end = panel + (<usize>K << 5);
  for (let w = panel, p = a; w < end; w += 32, p += step) {
    let u = v128.load32_splat(p);
    a0 = madd(u, v128.load(w), a0); a1 = madd(u, v128.load(w, 16), a1);
  }
  if (fromOut) { v128.store(out, a0); v128.store(out, a1, 16); }
  else addTile8(out, a0, a1, rows);
}

/** Eight streams × the 4 rows of a narrow last panel: out[s, 0..rows) += Σ_c panel[c]·x_s[c], c in order. */
function rowTile8x4(out: usize, so: usize, panel: usize, x: usize, sx: usize, C: i32, rows: i32): void {
  let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let end = x + (<usize>C << 2);
  for (let xp = x, w = panel; xp < end; xp += 4, w += 16) {
    let wv = v128.load(w), p = xp;
    a0 = madd(v128.load32_splat(p), wv, a0); p += sx;
    a1 = madd(v128.load32_splat(p), wv, a1); p += sx;
    a2 = madd(v128.load32_splat(p), wv, a2); p += sx;
    a3 = madd(v128.load32_splat(p), wv, a3); p += sx;
    a4 = madd(v128.load32_splat(p), wv, a4); p += sx;
    a5 = madd(v128.load32_splat(p), wv, a5); p += sx;
    a6 = madd(v128.load32_splat(p), wv, a6); p += sx;
    a7 = madd(v128.load32_splat(p), wv, a7);
  }
  let zero = f32x4.splat(0);
  addLanes(out, a0, zero, rows); out += so; addLanes(out, a1, zero, rows); out += so;
  addLanes(out, a2, zero, rows); out += so; addLanes(out, a3, zero, rows); out += so;
  addLanes(out, a4, zero, rows); out += so; addLanes(out, a5, zero, rows); out += so;
  addLanes(out, a6, zero, rows); out += so; addLanes(out, a7, zero, rows);
}

/** One stream × the 4 rows of a narrow last panel, in rowTile8x4's order. */
function rowTile1x4(out: usize, panel: usize, x: usize, C: i32, rows: i32): void {
  let a = f32x4.splat(0);
  let end = x + (<usize>C << 2);
  for (let xp = x, w = panel; xp < end; xp += 4, w += 16) a = madd(v128.load32_splat(xp), v128.load(w), a);
  addLanes(out, a, f32x4.splat(0), rows);
}

/** Streams per block of the tiled W·x: their inputs stay in L1 while every panel passes over them. */
const MM_STREAMS = 32;

/**
 * out[n,r] += Σ_c W[r,c]·X[n,c]        out [N,ldo], W [R,C], X [N,ldx]   (W·x per stream)
 * P: W's row panels (packRowPanels), or 0 for none; tiles need them and N ≥ 4.
 */
export function matmulAcc(out: usize, W: usize, P: usize, X: usize, R: i32, C: i32, N: i32, ldo: i32, ldx: i32): void {
  let so = <usize>ldo << 2, sx = <usize>ldx << 2;
  if (N < 4 || P == 0) {
    let n = 0;
    for (; n + 2 <= N; n += 2) {                     // streams in pairs
      let o = out + <usize>n * so, x = X + <usize>n * sx;
      matvecAcc2(o, o + so, W, x, x + sx, R, C);
    }
    if (n < N) matvecAcc(out + <usize>n * so, W, X + <usize>n * sx, R, C);
    return;
  }
  let panelBytes = <usize>C << 5;
  for (let n0 = 0; n0 < N; n0 += MM_STREAMS) {
    let n1 = min(N, n0 + MM_STREAMS);
    for (let r = 0; r < R; r += 8) {
      let panel = P + <usize>(r >> 3) * panelBytes, rows = min(8, R - r);
      let o = out + (<usize>r << 2);
      let n = n0;
      if (rows <= 4) {                               // the narrow last panel
        for (; n + 8 <= n1; n += 8) rowTile8x4(o + <usize>n * so, so, panel, X + <usize>n * sx, sx, C, rows);
        for (; n < n1; n++) rowTile1x4(o + <usize>n * so, panel, X + <usize>n * sx, C, rows);
        continue;
      }
      for (; n + 4 <= n1; n += 4) tile4x8(o + <usize>n * so, so, panel, X + <usize>n * sx, sx, 4, C, false, rows);
      for (; n < n1; n++) tile1x8(o + <usize>n * so, panel, X + <usize>n * sx, 4, C, false, rows);
    }
  }
}

/**
 * out[n,c] += Σ_r W[r,c]·A[n,r]        out [N,ldo], W [R,C], A [N,lda]   (Wᵀ·a per stream)
 * Q: W's column panels (packColPanels), or 0 for none; tiles need them and four streams.
 */
export function matmulTAcc(out: usize, W: usize, Q: usize, A: usize, R: i32, C: i32, N: i32, ldo: i32, lda: i32): void {
  let rowBytes = <usize>C << 2, so = <usize>ldo << 2, sa = <usize>lda << 2;
  let C16 = C & ~15, panelBytes = <usize>R << 5;
  let n = 0;
  if (Q != 0) {
    for (; n + 4 <= N; n += 4) {                     // four streams × 8 columns in eight registers
      let o = out + <usize>n * so, a = A + <usize>n * sa;
      for (let c = 0; c < C16; c += 8) tile4x8(o + (<usize>c << 2), so, Q + <usize>(c >> 3) * panelBytes, a, sa, 4, R, true, 8);
      if (C16 < C) for (let s = 0; s < 4; s++) matvecTAccFrom(o + <usize>s * so, W, a + <usize>s * sa, R, C, C16);
    }
  }
  for (; n + 2 <= N; n += 2) {                       // streams in pairs: each W load used twice
    let o0 = out + <usize>n * so, o1 = o0 + so;
    let d0 = A + <usize>n * sa, d1 = d0 + sa;
    for (let c = 0; c < C16; c += 16) {              // 16 columns × 2 streams in eight registers
      let p0 = o0 + (<usize>c << 2), p1 = o1 + (<usize>c << 2);
      let a0 = v128.load(p0), a1 = v128.load(p0, 16), a2 = v128.load(p0, 32), a3 = v128.load(p0, 48);
      let b0 = v128.load(p1), b1 = v128.load(p1, 16), b2 = v128.load(p1, 32), b3 = v128.load(p1, 48);
      let w = W + (<usize>c << 2);
      for (let r = 0; r < R; r++) {                  // rows in order
        let ro = <usize>r << 2;
        let u = v128.load32_splat(d0 + ro), v = v128.load32_splat(d1 + ro);
        let m0 = v128.load(w), m1 = v128.load(w, 16), m2 = v128.load(w, 32), m3 = v128.load(w, 48);
        a0 = madd(m0, u, a0); b0 = madd(m0, v, b0);
        a1 = madd(m1, u, a1); b1 = madd(m1, v, b1);
        a2 = madd(m2, u, a2); b2 = madd(m2, v, b2);
        a3 = madd(m3, u, a3); b3 = madd(m3, v, b3);
        w += rowBytes;
      }
      v128.store(p0, a0); v128.store(p0, a1, 16); v128.store(p0, a2, 32); v128.store(p0, a3, 48);
      v128.store(p1, b0); v128.store(p1, b1, 16); v128.store(p1, b2, 32); v128.store(p1, b3, 48);
    }
    matvecTAccFrom(o0, W, d0, R, C, C16);
    matvecTAccFrom(o1, W, d1, R, C, C16);
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
      a0 = madd(v128.load(w), u, a0);
      a1 = madd(v128.load(w, 16), u, a1);
      a2 = madd(v128.load(w, 32), u, a2);
      a3 = madd(v128.load(w, 48), u, a3);
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
      a = madd(v128.load(w), v128.load32_splat(dr), a);
      b = madd(v128.load(w + rowBytes), v128.load32_splat(dr, 4), b);
      w += rowBytes << 1;
    }
    if (r < R) a = madd(v128.load(w), v128.load32_splat(d + (<usize>r << 2)), a);
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
 * Streams go in chunks whose X, packed into column panels [C8/8][n][8], fits OUTER_PANEL
 * floats; per group of four rows, their A values are packed [n][4] and one 4×8 tile per
 * panel runs over the chunk. dW is read and written once per chunk. In place, a column of
 * A or a panel's 8 values of X stride by a whole row of floats, and at 512-byte rows (an
 * LSTM's gates of 128) all of them fall in the same few L1 sets and came from L2.
 */
export function outerAcc(dW: usize, A: usize, X: usize, R: i32, C: i32, N: i32, lda: i32, ldx: i32): void {
  let sa = <usize>lda << 2, sx = <usize>ldx << 2;
  let C8 = C & ~7;
  let chunk = C8 == 0 ? OUTER_CHUNK : min(OUTER_CHUNK, max(1, OUTER_PANEL / C8));
  for (let n = 0; n < N; n += chunk) {
    outerAccChunk(dW, A + <usize>n * sa, X + <usize>n * sx, R, C, min(chunk, N - n), sa, sx);
  }
}

const OUTER_CHUNK = 64;
const OUTER_PANEL = 8192;
/** X's column panels for one chunk. */
const XPANELS: usize = memory.data(OUTER_PANEL * 4, 16);
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
  let C8 = C & ~7, panelBytes = <usize>N << 5;
  for (let c = 0; c < C8; c += 8) {                  // XPANELS[c/8][n][8] = X[n, c..c+8)
    let q = XPANELS + <usize>(c >> 3) * panelBytes, x = X + (<usize>c << 2);
    for (let n = 0; n < N; n++) {
      v128.store(q, v128.load(x)); v128.store(q, v128.load(x, 16), 16);
      q += 32; x += sx;
    }
  }
  let r = 0;
  for (; r + 4 <= R; r += 4) {
    let row = dW + <usize>r * rowBytes;
    pack(A + (<usize>r << 2), 4, N, sa);
    // 4 rows × 8 columns of dW += Σ_n PACKED[n][0..4) ⊗ panel[n], n in order
    for (let c = 0; c < C8; c += 8) tile4x8(row + (<usize>c << 2), rowBytes, XPANELS + <usize>(c >> 3) * panelBytes, PACKED, 4, 16, N, true, 8);
    if (C8 < C) outerTail4(row, PACKED, X, C8, C, N, 16, sx);
  }
  for (; r < R; r++) {
    let row = dW + <usize>r * rowBytes;
    pack(A + (<usize>r << 2), 1, N, sa);
    for (let c = 0; c < C8; c += 8) tile1x8(row + (<usize>c << 2), XPANELS + <usize>(c >> 3) * panelBytes, PACKED, 4, N, true, 8);
    if (C8 < C) outerRow1(row, PACKED, X, C8, C, N, 4, sx);
  }
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
      g0 = madd(v128.load32_splat(a), xv, g0);
      g1 = madd(v128.load32_splat(a, 4), xv, g1);
      g2 = madd(v128.load32_splat(a, 8), xv, g2);
      g3 = madd(v128.load32_splat(a, 12), xv, g3);
      x += sx; a += sa;
    }
    v128.store(p, g0); v128.store(p + rowBytes, g1); v128.store(p + 2 * rowBytes, g2); v128.store(p + 3 * rowBytes, g3);
  }
  for (let i = 0; i < 4 && c < C; i++) {             // the last C % 4 columns, row by row
    outerRow1(row + <usize>i * rowBytes, ar + (<usize>i << 2), X, c, C, N, sa, sx);
  }
}

/** Columns [c0, C) of one row of dW (at `row`) += Σ_n A[n,r]·X[n,:] (A at `ar` = &A[0,r]); C - c0 < 8. */
function outerRow1(row: usize, ar: usize, X: usize, c0: i32, C: i32, N: i32, sa: usize, sx: usize): void {
  let c = c0;
  if (c + 4 <= C) {
    let p = row + (<usize>c << 2);
    let g = v128.load(p);
    let x = X + (<usize>c << 2), a = ar;
    for (let n = 0; n < N; n++) {
      g = madd(v128.load32_splat(a), v128.load(x), g);
      x += sx; a += sa;
    }
    v128.store(p, g);
    c += 4;
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
