// Scalar forms of the SIMD kernels (simd.ts, fastmath.ts, optim.ts's updates): one plain loop per
// definition, no blocking, libm (Mathf) for exp and tanh. They are what the kernel tests
// check the fast forms against and what the kernel benchmarks measure speed-ups from;
// training never calls them. Same signatures as the kernels they mirror.
import { NP, params, grads, slots as mem } from "./layout";

/** out[n,r] += Σ_c W[r,c]·X[n,c], summed in c order.   out [N,ldo], W [R,C], X [N,ldx] */
export function matmulAccScalar(out: usize, W: usize, X: usize, R: i32, C: i32, N: i32, ldo: i32, ldx: i32): void {
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < R; r++) {
      let s: f32 = 0;
      for (let c = 0; c < C; c++) {
        s += load<f32>(W + (<usize>(r * C + c) << 2)) * load<f32>(X + (<usize>(n * ldx + c) << 2));
      }
      let o = out + (<usize>(n * ldo + r) << 2);
      store<f32>(o, load<f32>(o) + s);
    }
  }
}

/** out[n,c] += Σ_r W[r,c]·A[n,r], r in order.   out [N,ldo], W [R,C], A [N,lda] */
export function matmulTAccScalar(out: usize, W: usize, A: usize, R: i32, C: i32, N: i32, ldo: i32, lda: i32): void {
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      let o = out + (<usize>(n * ldo + c) << 2);
      let s = load<f32>(o);
      for (let r = 0; r < R; r++) {
        s += load<f32>(W + (<usize>(r * C + c) << 2)) * load<f32>(A + (<usize>(n * lda + r) << 2));
      }
      store<f32>(o, s);
    }
  }
}

/** dW[r,c] += Σ_n A[n,r]·X[n,c], n in order.   dW [R,C], A [N,lda], X [N,ldx] */
export function outerAccScalar(dW: usize, A: usize, X: usize, R: i32, C: i32, N: i32, lda: i32, ldx: i32): void {
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) {
      let g = dW + (<usize>(r * C + c) << 2);
      let s = load<f32>(g);
      for (let n = 0; n < N; n++) {
        s += load<f32>(A + (<usize>(n * lda + r) << 2)) * load<f32>(X + (<usize>(n * ldx + c) << 2));
      }
      store<f32>(g, s);
    }
  }
}

/** out[i] = e^x[i] by libm.   out, x [n] */
export function expArrayScalar(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), Mathf.exp(load<f32>(x + (<usize>i << 2))));
}

/** out[i] = tanh x[i] by libm.   out, x [n] */
export function tanhArrayScalar(out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), Mathf.tanh(load<f32>(x + (<usize>i << 2))));
}

/** clipAdagrad element by element: d = clamp(g)·coef; m += d²; p -= lr·d / √(m + 1e-8); g = 0. */
export function clipAdagradScalar(lr: f32, clip: f32, coef: f32): void {
  for (let i = 0; i < NP; i++) {
    let o = <usize>i << 2;
    let d = min(max(load<f32>(grads + o), -clip), clip) * coef;
    let m = load<f32>(mem + o) + d * d;
    store<f32>(mem + o, m);
    store<f32>(params + o, load<f32>(params + o) + (-lr * d) / Mathf.sqrt(m + 1e-8));
    store<f32>(grads + o, 0);
  }
}

/** clipAdam element by element (torch.optim.Adam): m, v in slots 0 and 1; step ≥ 1 is this update's count. */
export function clipAdamScalar(lr: f32, clip: f32, coef: f32, beta1: f64, beta2: f64, eps: f32, step: f64): void {
  let stepSize = <f32>(<f64>lr / (1.0 - Math.pow(beta1, step)));
  let bc2 = <f32>Math.sqrt(1.0 - Math.pow(beta2, step));
  let b1 = <f32>beta1, c1 = <f32>(1 - beta1), b2 = <f32>beta2, c2 = <f32>(1 - beta2);
  let vs = mem + (<usize>NP << 2);
  for (let i = 0; i < NP; i++) {
    let o = <usize>i << 2;
    let d = min(max(load<f32>(grads + o), -clip), clip) * coef;
    let m = load<f32>(mem + o) * b1 + d * c1;
    let v = load<f32>(vs + o) * b2 + d * c2 * d;
    store<f32>(mem + o, m);
    store<f32>(vs + o, v);
    store<f32>(params + o, load<f32>(params + o) + m / (Mathf.sqrt(v) / bc2 + eps) * -stepSize);
    store<f32>(grads + o, 0);
  }
}

/** clipRmsprop element by element (torch.optim.RMSprop): s = α·s + (1−α)·d²; p -= lr·d / (√s + eps). */
export function clipRmspropScalar(lr: f32, clip: f32, coef: f32, alpha: f64, eps: f32): void {
  let a = <f32>alpha, c = <f32>(1 - alpha);
  for (let i = 0; i < NP; i++) {
    let o = <usize>i << 2;
    let d = min(max(load<f32>(grads + o), -clip), clip) * coef;
    let s = load<f32>(mem + o) * a + d * c * d;
    store<f32>(mem + o, s);
    store<f32>(params + o, load<f32>(params + o) + d / (Mathf.sqrt(s) + eps) * -lr);
    store<f32>(grads + o, 0);
  }
}
