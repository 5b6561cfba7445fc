// Checkpoints on disk: reading one with the file's name in any error, and saving one
// atomically without ever losing the trained model.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeCheckpoint } from "../../checkpoint/codec.js";
import { readSavedModel, type SavedModel } from "../../checkpoint/metadata.js";
import { MinrnnError, type CharRNN } from "../../index.js";
import { readCheckpointBytes } from "./checkpoint-read.js";
import { writeFileAtomic } from "../files.js";

/** A validated checkpoint and the size of its file. */
export function readCheckpointFile(path: string): { checkpoint: SavedModel; fileSize: number } {
  const bytes = readCheckpointBytes(path);
  try {
    return { checkpoint: readSavedModel(decodeCheckpoint(bytes)), fileSize: bytes.length };
  } catch (e) {
    if (e instanceof MinrnnError) throw new MinrnnError(e.code, `${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Saves the model to `path` atomically. If that fails, the model goes to the system's
 * temporary directory instead, and the error says where: hours of training are not lost
 * to a full disk or a removed directory.
 */
export function saveModel(model: CharRNN, path: string): void {
  const bytes = model.save();
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    const rescue = join(tmpdir(), `minrnn-rescued-${process.pid}-${Date.now()}.safetensors`);
    try {
      writeFileAtomic(rescue, bytes);
    } catch {
      throw e;
    }
    throw new MinrnnError("INVALID_ARGUMENT", `${(e as Error).message}. The model was saved to ${rescue} instead`);
  }
}
