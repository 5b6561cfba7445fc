// `minrnn info`: what a checkpoint holds, checked as load() checks it, without building the model.
import { MinrnnError, type ModelConfig } from "../../index.js";
import { checkSavedTensors } from "../../model/state.js";
import { CONFIG_FLAGS, type InfoArgs } from "./args.js";
import { readCheckpointFile } from "./model-file.js";
import { describeByte, type Vocab } from "../../model/vocab.js";
import { escapeControl } from "../../escape.js";

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
    const best = training.bestValidationLoss;
    rows.push(
      ["training", `${training.iteration.toLocaleString("en-US")} iterations, smooth loss ${training.smoothLoss.toFixed(3)}, learning rate now ${training.learningRate}`],
      ["text", training.textLength ? `${training.textLength.toLocaleString("en-US")} ${vocab?.kind === "bytes" ? "bytes" : "characters"}, next window at ${training.position.toLocaleString("en-US")}` : "none"],
      ["validation", training.validationFraction === 0 ? "none" : `--val ${training.validationFraction}, best ${best === null ? "none yet" : `${best.toFixed(4)} per window (${(best / config.seqLength).toFixed(4)} nats/char)`}`],
      ["settings", settings(config)],
    );
  }
  // The file's own text (the vocabulary) and the path, with control characters escaped.
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(11)} ${escapeControl(v)}\n`).join(""));
  return 0;
}

/**
 * Every setting but those the model row shows, named by the train option that sets it
 * (a field without one, added since, by its own name), so that none goes unseen.
 */
function settings(config: ModelConfig): string {
  const shown = new Set(["vocabSize", "cell", "layers", "hidden"]);
  return Object.entries(config).filter(([key]) => !shown.has(key)).flatMap(([key, value]) => {
    if (key === "betas") return (value as number[]).map((b, i) => `beta${i + 1} ${b}`);
    if (key === "arithmetic") return [`${value} arithmetic`];
    const flag = (CONFIG_FLAGS as Record<string, string>)[key];
    return [`${flag === undefined ? key : flag.slice(2)} ${value}`];
  }).join(", ");
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
