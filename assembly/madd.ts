// a·b + c on four lanes: the multiply-add of every matrix kernel. The default build
// rounds the product and the sum apart (f32x4.mul, then f32x4.add: IEEE, so the same
// bytes on every runtime). The fused build (asconfig target "fma", relaxed-simd enabled)
// rounds once, with f32x4.relaxed_madd, which V8 compiles to vfmadd231ps on x86 with FMA;
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant, so each build holds one form only.
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
