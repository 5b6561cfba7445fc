// `minrnn sample`: text from a checkpoint, written to stdout as the core draws it (a
// byte-mode model's raw bytes), in constant memory whatever the length: each write waits
// for a slow reader to drain before the next is drawn.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { decodeCheckpoint } from "../../checkpoint/codec.js";
import { CharRNN, MinrnnError, Vocab } from "../../index.js";
import { readSavedModel, type SavedModel } from "../../checkpoint/metadata.js";
import { UsageError, type SampleArgs } from "./args.js";
import { readBytes } from "../files.js";
import { readCheckpointFile } from "./model-file.js";
import { looksLikeSafetensors } from "./checkpoint-read.js";

/** Characters per write: the core draws this many at a time, so output keeps pace with drawing. */
const WRITE_EVERY = 64;

export async function sample(args: SampleArgs): Promise<number> {
  const { checkpoint } = readCheckpointFile(args.model);
  if (checkpoint.vocab === null && args.vocab === undefined) {
    throw new UsageError(`${args.model} holds weights for ${checkpoint.config.vocabSize} symbols but not which symbols they are (no minrnn metadata, as in a PyTorch state dict saved as safetensors); give them with --vocab FILE: a text the model was trained on, or a checkpoint of it`, "sample");
  }
  const vocab = args.vocab === undefined ? undefined : vocabFor(args.vocab, args.model, checkpoint);
  const model = CharRNN.fromSaved(checkpoint, { vocab });
  try {
    // Without --seed every run differs, as a user expects of a sampler; --seed makes it repeatable.
    const seed = args.seed ?? randomBytes(4).readUInt32LE(0);
    const options = { length: args.length, temperature: args.temperature, topK: args.topK, prime: args.prime, seed, argmax: args.argmax, zeroState: args.zeroState };
    const end = process.stdout.isTTY ? "\n" : "";
    if (model.vocab.kind === "bytes") {
      // The bytes as drawn, not decoded: a model of a Latin-1 file writes Latin-1. The prime is its UTF-8 bytes.
      let primed = false;
      for (const chunk of model.sampleBytesStream(options)) {
        if (!primed) await write(args.prime);   // once the stream has accepted it
        primed = true;
        await write(chunk);
      }
      await write(primed ? end : args.prime + end);
      return 0;
    }
    // The prime is printed once the stream has accepted it (its characters are checked on the first draw).
    let buffer: string | null = null;
    for (const ch of model.sampleStream(options)) {
      buffer = (buffer ?? args.prime) + ch;
      if (buffer.length >= WRITE_EVERY) {
        await write(buffer);
        buffer = "";
      }
    }
    await write((buffer ?? args.prime) + end);
    return 0;
  } finally {
    model.dispose();
  }
}

/**
 * The vocabulary in `path` for a file that has none (a PyTorch state dict saved as
 * safetensors): a minrnn checkpoint's, or the distinct characters of a text, sorted as
 * minrnn sorts them, which is the vocabulary a model trained on that text has.
 */
function vocabFor(path: string, modelPath: string, model: SavedModel): Vocab {
  const bytes = readBytes(path, "vocabulary file");
  let vocab: Vocab;
  if (looksLikeSafetensors(bytes, bytes.length)) {
    let ckpt: SavedModel;
    try {
      ckpt = readSavedModel(decodeCheckpoint(bytes));
    } catch (e) {
      if (e instanceof MinrnnError) throw new MinrnnError(e.code, `--vocab ${path}: ${e.message}`);
      throw e;
    }
    if (ckpt.vocab === null) {
      throw new MinrnnError("INVALID_ARGUMENT", `--vocab ${path} is a safetensors file without a vocabulary; give the text the model was trained on, or a minrnn checkpoint trained on it`);
    }
    vocab = ckpt.vocab;
  } else {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw new MinrnnError("INVALID_TEXT", `--vocab ${path} is neither a checkpoint nor UTF-8 text; give the text the model was trained on, or a minrnn checkpoint trained on it`);
    }
    vocab = Vocab.fromText(text);
  }
  const size = model.config.vocabSize;
  if (vocab.size !== size || (model.vocab !== null && !vocab.equals(model.vocab))) {
    const what = model.vocab !== null ? `is not the vocabulary ${modelPath} carries` : `does not fit ${modelPath}, whose weights are for ${size} symbols`;
    throw new MinrnnError("INVALID_ARGUMENT", `the vocabulary of --vocab ${path} (${vocab.size} symbols) ${what}; give the text the model was trained on, or a checkpoint of it${model.vocab !== null ? " (a minrnn checkpoint needs no --vocab)" : ""}`);
  }
  return vocab;
}

/** Writes to stdout, waiting for a full pipe to drain so that nothing piles up in memory. */
async function write(data: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(data)) await once(process.stdout, "drain");
}
