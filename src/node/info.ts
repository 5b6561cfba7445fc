// `minrnn info`: what a checkpoint holds, checked as load() checks it, without building the model.
import { MinrnnError } from "../errors.js";
import { checkSavedTensors } from "../model.js";
import type { InfoArgs } from "./args.js";
import { readCheckpointFile } from "./model-file.js";
import { describeByte, type Vocab } from "../vocab.js";
import { escapeControl } from "../escape.js";

const PREVIEW = 40;

export function info(args: InfoArgs): number {
  const { checkpoint, fileSize } = readCheckpointFile(args.model);
  try {
    checkSavedTensors(checkpoint);
  } catch (e) {
    if (e instanceof MinrnnError) throw new MinrnnError(e.code, `${args.model}: ${e.message}`);
    throw e;
  }
  const { config, vocab, training } = checkpoint;
  const parameters = [...checkpoint.tensors].filter(([name]) => !name.startsWith("optim.") && !name.startsWith("state.")).reduce((n, [, t]) => n + t.data.length, 0);
  if (args.json) {
    process.stdout.write(`${escapeControl(JSON.stringify({
      file: args.model,
      fileSize,
      format: checkpoint.format,
      config: { ...config, clip: config.clip === Infinity ? "Infinity" : config.clip },
      parameters,
      mode: vocab?.kind ?? null,
      // A byte vocabulary as its byte values: as characters they would read as Latin-1.
      vocab: vocab === null ? null : vocab.kind === "bytes" ? vocab.codePoints() : vocab.chars,
      training,
    }))}\n`);
    return 0;
  }
  const rows: [string, string][] = [
    ["file", `${args.model} (${formatBytes(fileSize)})`],
    ["format", checkpoint.format === "foreign" ? "safetensors without minrnn metadata (weights only)" : checkpoint.format],
    ["model", `${config.cell}, ${config.layers} layer${config.layers === 1 ? "" : "s"}, hidden ${config.hidden}, ${parameters.toLocaleString("en-US")} parameters`],
    ["vocabulary", vocab ? describeVocab(vocab) : `${config.vocabSize} characters, not named in the file`],
  ];
  if (training) {
    rows.push(
      ["training", `${training.iteration.toLocaleString("en-US")} iterations, smooth loss ${training.smoothLoss.toFixed(3)}`],
      ["text", training.textLength ? `${training.textLength.toLocaleString("en-US")} ${vocab?.kind === "bytes" ? "bytes" : "characters"}, next window at ${training.position.toLocaleString("en-US")}` : "none"],
      ["settings", `seq ${config.seqLength}, lr ${config.learningRate}, ${config.optimizer}, clip ${config.clip}, batch ${config.batch}, seed ${config.seed}, ${config.arithmetic} arithmetic`],
    );
  }
  // The file's own text (the vocabulary) and the path, with control characters escaped.
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(11)} ${escapeControl(v)}\n`).join(""));
  return 0;
}

/** "58 characters: "\n !',-.:?AB…" … (18 more)", or for byte mode "12 bytes (byte mode): "\x0A ,.acf\xE9"". */
function describeVocab(vocab: Vocab): string {
  const more = vocab.size > PREVIEW ? ` … (${vocab.size - PREVIEW} more)` : "";
  if (vocab.kind === "codepoints") return `${vocab.size} characters: ${JSON.stringify(vocab.chars.slice(0, PREVIEW).join(""))}${more}`;
  const preview = vocab.codePoints().slice(0, PREVIEW).map(describeByte).join("");
  return `${vocab.size} bytes (byte mode): "${preview}"${more}`;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} bytes` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 2 ** 20).toFixed(1)} MB`;
}
