// The command line: each command's options (node:util parseArgs) turned into checked,
// typed values. Anything wrong here is a usage error (exit code 2) that names the option.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULTS, MinrnnError, type ModelConfig } from "../../index.js";
import { MAX_SAMPLE_LENGTH, checkConfig } from "../../model/model.js";
import { nearest } from "../../model/options.js";
import { PRESETS } from "./presets.js";

/** A mistake in the command line itself; the command exits with code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Command = "train" | "sample" | "info";
export const COMMANDS: readonly Command[] = ["train", "sample", "info"];

type Options = NonNullable<ParseArgsConfig["options"]>;
const text = { type: "string" } as const;
const flag = { type: "boolean" } as const;

const SAMPLING: Options = { temperature: text, "top-k": text };
const OPTIONS: Record<Command, Options> = {
  train: {
    hidden: text, seq: text, lr: text, seed: text, iters: text, time: text,
    cell: text, layers: text, batch: text, optimizer: text, clip: text, val: text, bytes: flag, fma: flag,
    alpha: text, beta1: text, beta2: text, eps: text, "clip-norm": text, dropout: text, "lr-decay": text, "lr-decay-after": text,
    "eval-every": text, patience: text,
    threads: text, "max-loss-ratio": text, preset: text, out: { type: "string", short: "o" }, resume: text, "checkpoint-every": text, "sample-every": text, "sample-len": text,
    ...SAMPLING, quiet: { type: "boolean", short: "q" }, json: flag, plot: text, force: flag, help: { type: "boolean", short: "h" },
  },
  sample: { length: { type: "string", short: "n" }, ...SAMPLING, prime: text, seed: text, argmax: flag, "zero-state": flag, vocab: text, help: { type: "boolean", short: "h" } },
  info: { json: flag, help: { type: "boolean", short: "h" } },
};

export interface TrainArgs {
  file: string | undefined;
  /** --preset's name and the options taken from it (not given on the command line). */
  preset: { name: string; taken: readonly string[] } | undefined;
  /** Byte mode: train on the file's bytes, not its UTF-8 text (a resumed byte-mode model implies it). */
  bytes: boolean;
  /** Train with the fused build (init's arithmetic "fma"). */
  fma: boolean;
  /** Only the model options given on the command line (a resumed model keeps the rest); betas apart. */
  config: Partial<Omit<ModelConfig, "vocabSize" | "betas">>;
  /** --beta1 and --beta2 as given: the one not given is the default, or a resumed model's own. */
  betas: [number | undefined, number | undefined];
  iters: number | undefined;
  /** Seconds. */
  time: number | undefined;
  /** The fraction of the text held out for validation at its end (0: none); undefined: a resumed run's own, else 0. */
  val: number | undefined;
  /** Evaluate the held-out loss every this many iterations (undefined: at the progress lines, every --sample-every). */
  evalEvery: number | undefined;
  /** Stop after this many evaluations in a row without a new best (undefined: never). */
  patience: number | undefined;
  /** 1 up to the model's shard count, or "auto" (the default): the machine's cores, at most the shard count. */
  threads: number | "auto";
  /** Stop when the smooth loss passes this many times its value at the start (0: never). */
  maxLossRatio: number;
  out: string | undefined;
  resume: string | undefined;
  /** Periodic saves to --out: every so many iterations, or seconds of training, or none. */
  checkpointEvery: CheckpointEvery;
  sampleEvery: number;
  sampleLength: number;
  temperature: number;
  topK: number;
  quiet: boolean;
  json: boolean;
  plot: string | undefined;
  /** Overwrite an existing --out or --plot file that is not a checkpoint (an SVG image). */
  force: boolean;
}

export type CheckpointEvery = { iterations: number } | { seconds: number } | null;

/** Saves every 5 minutes unless --checkpoint-every says otherwise: a killed run loses at most that. */
export const DEFAULT_CHECKPOINT_EVERY: CheckpointEvery = { seconds: 300 };

export interface SampleArgs {
  model: string;
  length: number;
  temperature: number;
  topK: number;
  prime: string;
  seed: number | undefined;
  argmax: boolean;
  zeroState: boolean;
  /** A text, or a checkpoint, whose vocabulary a PyTorch export (no vocabulary of its own) was trained with. */
  vocab: string | undefined;
}

export interface InfoArgs {
  model: string;
  json: boolean;
}

export type Parsed =
  | { command: "train"; help: boolean; args: TrainArgs }
  | { command: "sample"; help: boolean; args: SampleArgs }
  | { command: "info"; help: boolean; args: InfoArgs };

/** Parses one command's arguments (argv without the command name). */
export function parseCommand(command: Command, argv: string[]): Parsed {
  let values: Record<string, string | boolean | undefined>, positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: joinNegativeValues(argv, OPTIONS[command]), options: OPTIONS[command], allowPositionals: true, strict: true }) as {
      values: Record<string, string | boolean | undefined>;
      positionals: string[];
    });
  } catch (e) {
    throw new UsageError(describeParseError(e as Error & { code?: string }, Object.keys(OPTIONS[command])), command);
  }
  if (values.help) return { command, help: true, args: undefined as never };
  const preset = command === "train" ? withPreset(values) : undefined;
  const read = new Reader(preset?.values ?? values, command);
  switch (command) {
    case "train": {
      if (positionals.length > 1) throw new UsageError(`train takes at most one text file, got ${positionals.length} (${positionals.join(" ")})`, command);
      return { command, help: false, args: trainArgs(read, positionals[0], preset!.from) };
    }
    case "sample":
    case "info": {
      if (positionals.length !== 1) {
        throw new UsageError(positionals.length === 0 ? `${command} needs a model file, e.g. minrnn ${command} model.safetensors` : `${command} takes one model file, got ${positionals.length} (${positionals.join(" ")})`, command);
      }
      const model = positionals[0]!;
      return command === "info"
        ? { command, help: false, args: { model, json: read.flag("json") } }
        : {
            command,
            help: false,
            args: {
              model,
              length: read.count("length") ?? 200,
              ...read.sampling(),
              prime: read.string("prime") ?? "",
              seed: read.seed(),
              argmax: read.flag("argmax"),
              zeroState: read.flag("zero-state"),
              vocab: read.string("vocab"),
            },
          };
    }
  }
}

/** --preset NAME's flags under the command line's own (an explicit flag wins), and which were taken from it. */
function withPreset(values: Record<string, string | boolean | undefined>): { values: typeof values; from: TrainArgs["preset"] } {
  const name = values.preset as string | undefined;
  if (name === undefined) return { values, from: undefined };
  const preset = PRESETS[name];
  if (preset === undefined) throw new UsageError(`no preset ${JSON.stringify(name)}; the presets are ${Object.keys(PRESETS).join(", ")}`, "train");
  const merged = { ...values }, taken: string[] = [];
  for (const [flag, value] of Object.entries(preset.flags)) {
    if (merged[flag] !== undefined) continue;
    merged[flag] = value;
    taken.push(flag);
  }
  return { values: merged, from: { name, taken } };
}

/** "--dropout", or "--dropout (from --preset lstm-10min)" when the preset gave it: the user did not type it. */
export function named(args: TrainArgs, flag: string): string {
  return fromPreset(args, flag) ? `${flag} (from --preset ${args.preset!.name})` : flag;
}

/** How to be rid of a flag: leave it out, or, when the preset gave it, the preset. */
export function without(args: TrainArgs, flag: string): string {
  return fromPreset(args, flag) ? `leave --preset ${args.preset!.name} out (it sets ${flag})` : `leave ${flag} out`;
}

const fromPreset = (args: TrainArgs, flag: string): boolean => args.preset?.taken.includes(flag.slice(2)) ?? false;

/** The option that sets each config field (a resume names them when they conflict). */
export const CONFIG_FLAGS: Record<keyof Omit<ModelConfig, "vocabSize">, string> = {
  hidden: "--hidden", seqLength: "--seq", learningRate: "--lr", seed: "--seed", cell: "--cell",
  layers: "--layers", batch: "--batch", optimizer: "--optimizer", clip: "--clip",
  clipNorm: "--clip-norm", alpha: "--alpha", betas: "--beta1/--beta2", eps: "--eps", dropout: "--dropout",
  lrDecay: "--lr-decay", lrDecayAfter: "--lr-decay-after", arithmetic: "--fma",
};

/** checkConfig's message in the command's words: the option, not the library's field name. */
function asFlag(message: string): string {
  const named = message.replace(/^betas\[(\d)\] \(beta(\d)\)/, "--beta$2");
  for (const [key, flag] of Object.entries(CONFIG_FLAGS)) {
    if (named.startsWith(`${key} `)) return `${flag}${named.slice(key.length)}`;
  }
  return named;
}

function trainArgs(read: Reader, file: string | undefined, preset: TrainArgs["preset"]): TrainArgs {
  const config: TrainArgs["config"] = {
    hidden: read.count("hidden", 1),
    seqLength: read.count("seq", 1),
    learningRate: read.positive("lr", { float32: true }),
    seed: read.seed(),
    cell: read.string("cell") as ModelConfig["cell"] | undefined,
    layers: read.count("layers", 1),
    batch: read.count("batch", 1),
    optimizer: read.string("optimizer") as ModelConfig["optimizer"] | undefined,
    clip: read.positive("clip", { allowInfinity: true, float32: true }),
    clipNorm: read.positive("clip-norm", { allowInfinity: true, float32: true }),
    alpha: read.real("alpha"),
    eps: read.positive("eps", { float32: true }),
    dropout: read.real("dropout", { float32: true }),
    lrDecay: read.real("lr-decay", { float32: true }),
    lrDecayAfter: read.count("lr-decay-after"),
  };
  const betas: TrainArgs["betas"] = [read.real("beta1"), read.real("beta2")];
  for (const key of Object.keys(config) as (keyof typeof config)[]) if (config[key] === undefined) delete config[key];
  // The core's own checks give the ranges and the allowed cells and optimizers.
  try {
    checkConfig(2, { ...config, betas: [betas[0] ?? DEFAULTS.betas[0], betas[1] ?? DEFAULTS.betas[1]] });
  } catch (e) {
    if (e instanceof MinrnnError) throw new UsageError(asFlag(e.message), "train");
    throw e;
  }
  const evalEvery = read.count("eval-every", 1), patience = read.count("patience", 1);
  if (patience !== undefined && evalEvery === undefined) {
    throw new UsageError(`--patience ${patience} counts --eval-every evaluations: add --eval-every N (with --val), or leave --patience out`, "train");
  }
  return {
    file,
    preset,
    bytes: read.flag("bytes"),
    fma: read.flag("fma"),
    config,
    betas,
    iters: read.count("iters"),
    time: read.duration("time"),
    val: read.fraction("val"),
    evalEvery,
    patience,
    threads: read.threads(),
    maxLossRatio: read.lossRatio(),
    out: read.path("out"),
    resume: read.path("resume"),
    checkpointEvery: read.checkpointEvery(),
    sampleEvery: read.count("sample-every") ?? 100,
    sampleLength: read.sampleLength(),
    ...read.sampling(),
    quiet: read.flag("quiet"),
    json: read.flag("json"),
    plot: read.path("plot"),
    force: read.flag("force"),
  };
}

/** The optimizer each optimizer option belongs to: given with another, it would do nothing. */
const OPTIMIZER_FLAGS: { flag: string; given: (args: TrainArgs) => boolean; uses: readonly ModelConfig["optimizer"][]; what: string }[] = [
  { flag: "--alpha", given: (a) => a.config.alpha !== undefined, uses: ["rmsprop"], what: "rmsprop's decay" },
  { flag: "--beta1", given: (a) => a.betas[0] !== undefined, uses: ["adam"], what: "adam's first decay" },
  { flag: "--beta2", given: (a) => a.betas[1] !== undefined, uses: ["adam"], what: "adam's second decay" },
  { flag: "--eps", given: (a) => a.config.eps !== undefined, uses: ["adam", "rmsprop"], what: "adam's and rmsprop's eps (adagrad's is min-char-rnn's fixed 1e-8)" },
];

/**
 * Refuses options that would do nothing with the optimizer and --val the run has (a
 * resumed model's own when not given): silently ignored, they mislead.
 */
export function checkCombinations(args: TrainArgs, optimizer: ModelConfig["optimizer"], val: number): void {
  for (const o of OPTIMIZER_FLAGS) {
    if (!o.given(args) || o.uses.includes(optimizer)) continue;
    const fromResume = args.config.optimizer === undefined && args.resume !== undefined;
    const fix = fromResume ? `${without(args, o.flag)} (${args.resume} is trained with ${optimizer})` : `${without(args, o.flag)}, or train with --optimizer ${o.uses[0]}`;
    throw new UsageError(`${named(args, o.flag)} is ${o.what}, and does nothing with ${optimizer}: ${fix}`, "train");
  }
  if (val === 0) {
    const flag = args.evalEvery !== undefined ? "--eval-every" : args.patience !== undefined ? "--patience" : undefined;
    if (flag !== undefined) throw new UsageError(`${named(args, flag)} evaluates held-out text, and there is none: add --val F (e.g. --val 0.1), or ${without(args, flag)}`, "train");
  }
}

/**
 * "--lr -1" as "--lr=-1": parseArgs takes a value that starts with "-" for an option, and
 * a negative number deserves the option's range message rather than "needs a value".
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.startsWith("--") ? argv[i]!.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else {
      out.push(argv[i]!);
    }
  }
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads option values as the kinds of number they must be, naming the option when one is not. */
class Reader {
  constructor(private readonly values: Record<string, string | boolean | undefined>, private readonly command: Command) {}

  string(name: string): string | undefined {
    return this.values[name] as string | undefined;
  }

  /** A file name: an empty one (--out "") would fail only at the first save. */
  path(name: string): string | undefined {
    const value = this.string(name);
    if (value === "") throw new UsageError(`--${name} needs a file name, got ""`, this.command);
    return value;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  #number(name: string, what: string, allowInfinity = false): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = allowInfinity && /^(inf|infinity)$/i.test(raw) ? Infinity : NUMBER.test(raw.trim()) ? Number(raw) : NaN;
    if (Number.isNaN(value)) throw new UsageError(`--${name} must be ${what}, got ${JSON.stringify(raw)}`, this.command);
    return value;
  }

  /** An integer ≥ min (0 unless given), and one a double holds exactly. */
  count(name: string, min = 0): number | undefined {
    const what = min === 0 ? "a whole number ≥ 0" : `a whole number ≥ ${min}`;
    const v = this.#number(name, what);
    if (v !== undefined && Number.isInteger(v) && v > Number.MAX_SAFE_INTEGER) {
      throw new UsageError(`--${name} ${this.string(name)} is above the largest supported count, 2^53 − 1 = ${Number.MAX_SAFE_INTEGER}`, this.command);
    }
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) throw new UsageError(`--${name} must be ${what}, got ${this.string(name)}`, this.command);
    return v;
  }

  /** A number > 0 (or Infinity if allowed); with float32, one that stays > 0 and finite in float32. */
  positive(name: string, { allowInfinity = false, float32 = false } = {}): number | undefined {
    const what = `a number > 0${allowInfinity ? " (or Infinity)" : ""}`;
    const v = this.#number(name, what, allowInfinity);
    if (v !== undefined && !(v > 0 && (Number.isFinite(v) || allowInfinity))) throw new UsageError(`--${name} must be ${what}, got ${this.string(name)}`, this.command);
    if (float32) this.#float32(name, v);
    return v;
  }

  /**
   * A finite number > 0 must stay one in float32, as the core computes: rounded, 1e-50
   * would be 0 and 1e39 Infinity. A number below 1 must stay below 1: a dropout of
   * 0.99999999999 would be 1, dropping every unit.
   */
  #float32(name: string, v: number | undefined): void {
    if (v === undefined || !(v > 0 && Number.isFinite(v))) return;
    const rounded = Math.fround(v);
    if (!(rounded > 0 && Number.isFinite(rounded)) || (v < 1 && rounded >= 1)) {
      const range = v < 1 && rounded >= 1 ? "must be below 1 in float32 too" : `must be within float32's range, ${FLOAT32_MIN} to ${FLOAT32_MAX}`;
      throw new UsageError(`--${name} ${range} (the core computes in float32), got ${this.string(name)}, which float32 rounds to ${rounded}`, this.command);
    }
  }

  /** Any number; the config's check gives its range. */
  real(name: string, { float32 = false } = {}): number | undefined {
    const v = this.#number(name, "a number");
    if (float32) this.#float32(name, v);
    return v;
  }

  /** A number in [0, 1). */
  fraction(name: string): number | undefined {
    const what = "a fraction from 0 up to (not including) 1, such as 0.1";
    const v = this.#number(name, what);
    if (v !== undefined && !(v >= 0 && v < 1)) throw new UsageError(`--${name} must be ${what}, got ${this.string(name)}`, this.command);
    return v;
  }

  seed(): number | undefined {
    const v = this.count("seed");
    if (v !== undefined && v > 0xffffffff) throw new UsageError(`--seed must be a whole number from 0 to 4294967295, got ${v}`, this.command);
    return v;
  }

  /** Seconds, from "90", "90s", "15m" or "1.5h". */
  duration(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const seconds = parseDuration(raw, "s");
    if (!(seconds > 0)) throw new UsageError(`--${name} must be a duration > 0 such as 90, 90s, 15m or 1.5h, got ${JSON.stringify(raw)}`, this.command);
    return seconds;
  }

  /** --checkpoint-every: N iterations, a time with its unit (90s, 5m, 1h), or 0 / off; 5 minutes by default. */
  checkpointEvery(): CheckpointEvery {
    const raw = this.string("checkpoint-every");
    if (raw === undefined) return DEFAULT_CHECKPOINT_EVERY;
    const word = raw.trim();
    if (/^(0|off)$/i.test(word)) return null;
    const seconds = parseDuration(word, undefined), iterations = /^\d+$/.test(word) ? Number(word) : NaN;
    if (seconds > 0) return { seconds };
    if (Number.isSafeInteger(iterations)) return { iterations };
    throw new UsageError(`--checkpoint-every must be a number of iterations, a time with its unit (90s, 5m, 1h), or off, got ${JSON.stringify(raw)}`, this.command);
  }

  /** --max-loss-ratio: 0 (off) or at least 1; char-rnn's 3 by default. */
  lossRatio(): number {
    const what = "0 (off) or a number ≥ 1, such as 3";
    const v = this.#number("max-loss-ratio", what) ?? 3;
    if (!(v === 0 || (v >= 1 && Number.isFinite(v)))) throw new UsageError(`--max-loss-ratio must be ${what}, got ${this.string("max-loss-ratio")}`, this.command);
    return v;
  }

  /** Training prints its samples whole: at most what sample() builds in memory. */
  sampleLength(): number {
    const v = this.count("sample-len") ?? 200;
    if (v > MAX_SAMPLE_LENGTH) {
      throw new UsageError(`--sample-len must be at most ${MAX_SAMPLE_LENGTH} (training prints each sample whole), got ${v}; for a longer sample, run minrnn sample MODEL --length N, which streams it`, this.command);
    }
    return v;
  }

  /** "auto" or a count ≥ 1; the model's shard count bounds it (checked when training starts). */
  threads(): number | "auto" {
    return this.string("threads") === "auto" ? "auto" : this.count("threads", 1) ?? "auto";
  }

  sampling(): { temperature: number; topK: number } {
    return { temperature: this.positive("temperature") ?? 1, topK: this.count("top-k") ?? 0 };
  }
}

/** The smallest and largest finite float32 > 0 (the smallest is subnormal). */
const FLOAT32_MIN = "1.4e-45", FLOAT32_MAX = "3.4e38";

/** Seconds from "90s", "15m", "1.5h" (or a bare number in `bareUnit`); NaN if it is none of those. */
function parseDuration(raw: string, bareUnit: "s" | undefined): number {
  const m = /^(\d+\.?\d*|\.\d+)(s|m|h)?$/.exec(raw.trim());
  const unit = (m?.[2] ?? bareUnit) as "s" | "m" | "h" | undefined;
  return m && unit ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[unit] : NaN;
}

function describeParseError(e: Error & { code?: string }, known: readonly string[]): string {
  // Node words it "Option '-q, --quiet' …" or "Unknown option '--frob'": take the long name.
  const option = /'(?:-\w, )?(--?[^' ,]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const near = option === undefined ? null : nearest(option.replace(/^-+/, ""), known);
      return `unknown option ${option}${near === null ? "" : ` (did you mean --${near}?)`}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take/.test(e.message)) return `${option} takes no value`;
      return /ambiguous/.test(e.message) ? `${option} needs a value (for one that starts with "-", write ${option}=VALUE)` : `${option} needs a value`;
    default:
      return e.message;
  }
}
