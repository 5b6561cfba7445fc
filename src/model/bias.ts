// The reference RNN has one hidden bias; PyTorch's nn.RNN has two (bias_ih and bias_hh),
// which loading adds into one. Two finite float32 values can add up to Infinity, so the
// sum is checked before it is made, not only the values.

/** The first i where the float32 sum a[i] + b[i] is not finite, or -1. */
export function firstOverflowingSum(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(Math.fround(a[i]! + b[i]!))) return i;
  return -1;
}

/** Says what overflowed: "rnn.bias_ih_l0[3] + rnn.bias_hh_l0[3] = 3e+38 + 3e+38 is Infinity in float32". */
export function describeOverflow(a: ArrayLike<number>, b: ArrayLike<number>, i: number, layer = 0): string {
  return `rnn.bias_ih_l${layer}[${i}] + rnn.bias_hh_l${layer}[${i}] = ${a[i]} + ${b[i]} is ${Math.fround(a[i]! + b[i]!)} in float32, and the model adds the two into its one hidden bias`;
}
