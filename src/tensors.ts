// The names of a model's tensors, PyTorch's state-dict names for nn.RNN / nn.LSTM / nn.GRU
// + an nn.Linear decoder, in the order of the core's tensor table (assembly/layout.ts):
// per layer weight_ih, weight_hh, bias_ih, bias_hh, then the decoder's weight and bias.
// Shapes and offsets come from the core's table; only the names are made here.

/** Parameter names in table order for `layers` layers. */
export function parameterNames(layers: number): string[] {
  const names: string[] = [];
  for (let k = 0; k < layers; k++) {
    names.push(`rnn.weight_ih_l${k}`, `rnn.weight_hh_l${k}`, `rnn.bias_ih_l${k}`, `rnn.bias_hh_l${k}`);
  }
  names.push("decoder.weight", "decoder.bias");
  return names;
}

/** torch.optim's state names for each optimizer's slots, in the core's slot order. */
export const SLOT_NAMES = { adagrad: ["sum"], adam: ["exp_avg", "exp_avg_sq"], rmsprop: ["square_avg"] } as const;

/** Slots that are sums or averages of squares: never negative in a sound checkpoint (Adam's exp_avg is signed). */
export const SQUARE_SLOTS: ReadonlySet<string> = new Set(["sum", "exp_avg_sq", "square_avg"]);

/** An optimizer slot's tensor name: `optim.<param>.<slot>`. */
export const slotName = (param: string, slot: string): string => `optim.${param}.${slot}`;

/** The carried state's names: per layer `state.h_l{k}`, then `state.c_l{k}` for a cell with two. */
export function stateNames(layers: number, carried: number): string[] {
  const names: string[] = [];
  for (let k = 0; k < layers; k++) {
    names.push(`state.h_l${k}`);
    if (carried === 2) names.push(`state.c_l${k}`);
  }
  return names;
}
