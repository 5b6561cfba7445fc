// `minrnn sample`: text from a checkpoint, written to stdout as the core draws it (a
// byte-mode model's raw bytes, all at once).
import { randomBytes } from "node:crypto";
import type { SampleArgs } from "./args.js";
import { CharRNN } from "../model.js";
import { readCheckpointFile } from "./model-file.js";

/** Characters per write: the core draws this many at a time, so output keeps pace with drawing. */
const WRITE_EVERY = 64;

export function sample(args: SampleArgs): number {
  const model = CharRNN.fromSaved(readCheckpointFile(args.model).checkpoint);
  try {
    // Without --seed every run differs, as a user expects of a sampler; --seed makes it repeatable.
    const seed = args.seed ?? randomBytes(4).readUInt32LE(0);
    const options = { length: args.length, temperature: args.temperature, topK: args.topK, prime: args.prime, seed, argmax: args.argmax, zeroState: args.zeroState };
    if (model.vocab.kind === "bytes") {
      // The bytes as drawn, not decoded: a model of a Latin-1 file writes Latin-1. The prime is its UTF-8 bytes.
      const drawn = model.sampleBytes(options);
      process.stdout.write(Buffer.concat([Buffer.from(args.prime), drawn, Buffer.from(process.stdout.isTTY ? "\n" : "")]));
      return 0;
    }
    const stream = model.sampleStream(options);
    // The prime is printed once the stream has accepted it (its characters are checked on the first draw).
    let buffer: string | null = null;
    for (const ch of stream) {
      buffer = (buffer ?? args.prime) + ch;
      if (buffer.length >= WRITE_EVERY) {
        process.stdout.write(buffer);
        buffer = "";
      }
    }
    process.stdout.write((buffer ?? args.prime) + (process.stdout.isTTY ? "\n" : ""));
    return 0;
  } finally {
    model.dispose();
  }
}
