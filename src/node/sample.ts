// `minrnn sample`: text from a checkpoint, written to stdout as the core draws it (a
// byte-mode model's raw bytes), in constant memory whatever the length: each write waits
// for a slow reader to drain before the next is drawn.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { modelFromCheckpoint } from "../checkpoint.js";
import type { SampleArgs } from "./args.js";
import { readCheckpointFile } from "./model-file.js";

/** Characters per write: the core draws this many at a time, so output keeps pace with drawing. */
const WRITE_EVERY = 64;

export async function sample(args: SampleArgs): Promise<number> {
  const model = modelFromCheckpoint(readCheckpointFile(args.model).checkpoint);
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

/** Writes to stdout, waiting for a full pipe to drain so that nothing piles up in memory. */
async function write(data: string | Uint8Array): Promise<void> {
  if (!process.stdout.write(data)) await once(process.stdout, "drain");
}
