// Loading a checkpoint into a new model's state: the tensors checked against the table,
// the vocabulary, the tensors copied in (each once) and their values checked where they
// landed, the training state, and the data to go on with. Nothing is kept if anything is wrong.
import type { Checksum } from "../checkpoint/codec.js";
import type { SavedModel } from "../checkpoint/metadata.js";
import { describeValue } from "../checkpoint/codec.js";
import { currentArithmetic } from "../core/wasm.js";
import { MinrnnError } from "../errors.js";
import { setTrainingBytes, setTrainingText } from "./data.js";
import { ModelState } from "./state.js";
import { Vocab } from "./vocab.js";

export interface LoadOptions {
  /** The vocabulary of a file that carries none (a PyTorch export); must match a minrnn file's own. */
  vocab?: Vocab;
  /**
   * The training text. If it has the length the checkpoint was trained on, training goes
   * on from the saved position and carried state exactly; otherwise from its start.
   */
  text?: string;
  /** The training bytes of a byte-mode model, instead of `text`; the same rule applies. */
  bytes?: Uint8Array;
  /**
   * false: load a file whose crc32 does not match (one another tool rewrote, such as
   * Hugging Face's safetensors, which reorders the tensors) with a warning; every other check holds.
   */
  verifyChecksum?: boolean;
}

/** For a file whose values the codec did not check: its stated checksum, and whether a mismatch is an error. */
export interface InPlaceChecks {
  checksum: Checksum | null;
  verifyChecksum: boolean;
}

/**
 * The state of a model from a read checkpoint. `inPlace`: its values were not checked yet; they are,
 * once copied into the model (verifyTensors). Nothing is kept if anything is wrong.
 */
export function loadedState(saved: SavedModel, options: LoadOptions, inPlace: InPlaceChecks | null): ModelState {
  // The tensors are checked before the vocabulary: a file minrnn cannot read says so first.
  // Training goes on with the core's arithmetic, which its saves then record.
  const state = new ModelState({ ...saved.config, arithmetic: currentArithmetic() }, (saved.vocab ?? options.vocab) as Vocab);
  try {
    state.checkTensors(saved, { values: inPlace === null });
    vocabFor(saved, options.vocab);
    restore(state, saved, options, inPlace);
    return state;
  } catch (e) {
    state.dispose();
    throw e;
  }
}

/** Takes a checked checkpoint: tensors, training state, and the data to go on with. */
function restore(state: ModelState, saved: SavedModel, options: LoadOptions, inPlace: InPlaceChecks | null): void {
  const { training } = saved;
  // A foreign file starts with fresh optimizer state and progress, as after create().
  if (training === null) state.initialize();
  state.takeTensors(saved);
  if (inPlace !== null) state.verifyTensors(saved, inPlace.checksum, inPlace.verifyChecksum);
  if (training !== null) {
    state.setTrainingState(training);
    state.savedTextLength = training.textLength;
    const { validationFraction, bestValidationLoss, validationHash } = training;
    state.validationRecord = { validationFraction, bestValidationLoss, ...(validationHash ? { validationHash } : {}) };
  }
  if (options.text === undefined && options.bytes === undefined) return;
  setData(state, options);   // rewinds the position and zeroes the carried state
  if (training !== null && state.textLength === training.textLength) {
    state.setTrainingState(training);
    state.setCarriedState(saved.tensors);
  }
}

function setData(state: ModelState, options: LoadOptions): void {
  if (options.text !== undefined && options.bytes !== undefined) {
    throw new MinrnnError("INVALID_ARGUMENT", "CharRNN.load takes a text or bytes to train on, not both");
  }
  // Said in load's terms: the setText/setBytes errors name methods the caller did not call.
  const byteMode = state.vocab.kind === "bytes";
  if (byteMode ? options.text !== undefined : options.bytes !== undefined) {
    throw new MinrnnError("INVALID_ARGUMENT", byteMode
      ? "this checkpoint is a byte-mode model: pass its training data as CharRNN.load(file, { bytes }) (a text's UTF-8 bytes: new TextEncoder().encode(text))"
      : "this checkpoint's symbols are code points: pass its training text as CharRNN.load(file, { text })");
  }
  if (options.text !== undefined) setTrainingText(state, options.text);
  if (options.bytes !== undefined) setTrainingBytes(state, options.bytes);
}

function vocabFor(saved: SavedModel, given: Vocab | undefined): Vocab {
  if (given !== undefined && !(given instanceof Vocab)) {
    throw new MinrnnError("INVALID_ARGUMENT", `the vocab option must be a Vocab (Vocab.fromText, Vocab.fromCodePoints or Vocab.fromBytes), got ${describeValue(given)}`);
  }
  const vocab = saved.vocab ?? given;
  if (vocab === undefined) {
    throw new MinrnnError(
      "INVALID_CHECKPOINT",
      `this safetensors file has weights for a vocabulary of ${saved.config.vocabSize} characters but does not say which characters (it has no minrnn metadata); pass them: CharRNN.load(bytes, { vocab: Vocab.fromCodePoints([...]) }) in the order the model was trained with`,
    );
  }
  if (vocab.size !== saved.config.vocabSize || (saved.vocab && given && !given.equals(saved.vocab))) {
    throw new MinrnnError(
      "INVALID_ARGUMENT",
      `the vocabulary given (${given!.size} characters) is not the checkpoint's (${saved.config.vocabSize} characters); give the vocabulary the weights were trained with (none is needed for a minrnn checkpoint)`,
    );
  }
  return vocab;
}
