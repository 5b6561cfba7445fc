// Tensor names: PyTorch's state-dict names for nn.RNN / nn.LSTM / nn.GRU + an nn.Linear
// decoder, made from what each record of the core's table says it is (its role and
// layer), and torch.optim's names for the optimizer slots.
import { Role } from "../core/regions.js";
import type { TableEntry } from "../core/engine.js";

const ROLE_NAMES: Record<number, (layer: number) => string> = {
  [Role.W_IH]: (k) => `rnn.weight_ih_l${k}`,
  [Role.W_HH]: (k) => `rnn.weight_hh_l${k}`,
  [Role.B_IH]: (k) => `rnn.bias_ih_l${k}`,
  [Role.B_HH]: (k) => `rnn.bias_hh_l${k}`,
  [Role.DECODER_W]: () => "decoder.weight",
  [Role.DECODER_B]: () => "decoder.bias",
  [Role.H]: (k) => `state.h_l${k}`,
  [Role.C]: (k) => `state.c_l${k}`,
};

/** A table entry's name. */
export function entryName(entry: Pick<TableEntry, "role" | "layer">): string {
  return ROLE_NAMES[entry.role]!(entry.layer);
}

/** torch.optim's state names for each optimizer's slots, in the core's slot order. */
export const SLOT_NAMES = { adagrad: ["sum"], adam: ["exp_avg", "exp_avg_sq"], rmsprop: ["square_avg"] } as const;

/** Slots that are sums or averages of squares: never negative in a sound checkpoint (Adam's exp_avg is signed). */
export const SQUARE_SLOTS: ReadonlySet<string> = new Set(["sum", "exp_avg_sq", "square_avg"]);

/** An optimizer slot's tensor name: `optim.<param>.<slot>`. */
export const slotName = (param: string, slot: string): string => `optim.${param}.${slot}`;
