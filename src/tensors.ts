// The model's tensors under PyTorch's state-dict names (nn.RNN + nn.Linear decoder), in
// the core's layout order: a name's index is its slot in the core's tensorOffsets().

export const PARAMETER_NAMES = [
  "rnn.weight_ih_l0",
  "rnn.weight_hh_l0",
  "rnn.bias_ih_l0",
  "rnn.bias_hh_l0",
  "decoder.weight",
  "decoder.bias",
] as const;

/** Shapes of PARAMETER_NAMES, in that order, for vocabulary V and hidden size H. */
export function parameterShapes(V: number, H: number): number[][] {
  return [[H, V], [H, H], [H], [H], [V, H], [V]];
}
