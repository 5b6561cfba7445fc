// The command line: each command's options (node:util parseArgs) turned into checked,
// typed values. Anything wrong here is a usage error (exit code 2) that names the option.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { DEFAULTS, MAX_SAMPLE_LENGTH, checkConfig, type ModelConfig } from "../model.js";
import { MinrnnError } from "../errors.js";

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
    threads: text, "max-loss-ratio": text, out: { type: "string", short: "o" }, resume: text, "checkpoint-every": text, "sample-every": text, "sample-len": text,
    ...SAMPLING, quiet: { type: "boolean", short: "q" }, json: flag, plot: text, force: flag, help: { type: "boolean", short: "h" },
  },
  sample: { length: { type: "string", short: "n" }, ...SAMPLING, prime: text, seed: text, argmax: flag, "zero-state": flag, vocab: text, help: { type: "boolean", short: "h" } },
  info: { json: flag, help: { type: "boolean", short: "h" } },
};

export interface TrainArgs {
  file: string | undefined;
  /** Byte mode: train on the file's bytes, not its UTF-8 text (a resumed byte-mode model implies it). */
  bytes: boolean;
  /** Train with the fused build (init's arithmetic "fma"). */
  fma: boolean;
  /** Only the model options given on the command line (a resumed model keeps the rest). */
  config: Partial<Omit<ModelConfig, "vocabSize">>;
  iters: number | undefined;
  /** Seconds. */
  time: number | undefined;
  /** The fraction of the text held out for validation at its end (0: none); undefined: a resumed run's own, else 0. */
  val: number | undefined;
  /** Evaluate the held-out loss every this many iterations (undefined: at the progress lines, every --sample-every). */
  evalEvery: number | undefined;
  /** Stop after this many evaluations in a row without a new best (undefined: never). */
  patience: number | undefined;
  /** 1, or 2: the streams of a batch split between two threads. */
  threads: number;
  /** Stop when the smooth loss passes this many times its value at the start (0: never). */
  maxLossRatio: number;
  out: string | undefined;
  resume: string | undefined;
  checkpointEvery: number;
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
    throw new UsageError(describeParseError(e as Error & { code?: string }), command);
  }
  if (values.help) return { command, help: true, args: undefined as never };
  const read = new Reader(values, command);
  switch (command) {
    case "train": {
      if (positionals.length > 1) throw new UsageError(`train takes at most one text file, got ${positionals.length} (${positionals.join(" ")})`, command);
      return { command, help: false, args: trainArgs(read, positionals[0]) };
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

/** The option that sets each config field (a resume names them when they conflict). */
export const CONFIG_FLAGS: Record<keyof TrainArgs["config"], string> = {
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

function trainArgs(read: Reader, file: string | undefined): TrainArgs {
  const config: TrainArgs["config"] = {
    hidden: read.count("hidden", 1),
    seqLength: read.count("seq", 1),
    learningRate: read.positive("lr"),
    seed: read.seed(),
    cell: read.string("cell") as ModelConfig["cell"] | undefined,
    layers: read.count("layers", 1),
    batch: read.count("batch", 1),
    optimizer: read.string("optimizer") as ModelConfig["optimizer"] | undefined,
    clip: read.positive("clip", true),
    clipNorm: read.positive("clip-norm", true),
    alpha: read.real("alpha"),
    eps: read.real("eps"),
    dropout: read.real("dropout"),
    lrDecay: read.real("lr-decay"),
    lrDecayAfter: read.count("lr-decay-after"),
  };
  const beta1 = read.real("beta1"), beta2 = read.real("beta2");
  if (beta1 !== undefined || beta2 !== undefined) config.betas = [beta1 ?? DEFAULTS.betas[0], beta2 ?? DEFAULTS.betas[1]];
  for (const key of Object.keys(config) as (keyof typeof config)[]) if (config[key] === undefined) delete config[key];
  // The core's own checks give the ranges and the allowed cells and optimizers.
  try {
    checkConfig(2, config);
  } catch (e) {
    if (e instanceof MinrnnError) throw new UsageError(asFlag(e.message), "train");
    throw e;
  }
  return {
    file,
    bytes: read.flag("bytes"),
    fma: read.flag("fma"),
    config,
    iters: read.count("iters"),
    time: read.duration("time"),
    val: read.fraction("val"),
    evalEvery: read.count("eval-every", 1),
    patience: read.count("patience", 1),
    threads: read.threads(),
    maxLossRatio: read.lossRatio(),
    out: read.path("out"),
    resume: read.path("resume"),
    checkpointEvery: read.count("checkpoint-every") ?? 0,
    sampleEvery: read.count("sample-every") ?? 100,
    sampleLength: read.sampleLength(),
    ...read.sampling(),
    quiet: read.flag("quiet"),
    json: read.flag("json"),
    plot: read.path("plot"),
    force: read.flag("force"),
  };
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

  /** An integer ≥ min (0 unless given). */
  count(name: string, min = 0): number | undefined {
    const what = min === 0 ? "a whole number ≥ 0" : `a whole number ≥ ${min}`;
    const v = this.#number(name, what);
    if (v !== undefined && (!Number.isSafeInteger(v) || v < min)) throw new UsageError(`--${name} must be ${what}, got ${this.string(name)}`, this.command);
    return v;
  }

  positive(name: string, allowInfinity = false): number | undefined {
    const what = `a number > 0${allowInfinity ? " (or Infinity)" : ""}`;
    const v = this.#number(name, what, allowInfinity);
    if (v !== undefined && !(v > 0 && (Number.isFinite(v) || allowInfinity))) throw new UsageError(`--${name} must be ${what}, got ${this.string(name)}`, this.command);
    return v;
  }

  /** Any number; the config's check gives its range. */
  real(name: string): number | undefined {
    return this.#number(name, "a number");
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
    const m = /^(\d+\.?\d*|\.\d+)(s|m|h)?$/.exec(raw.trim());
    const seconds = m ? Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? "s") as "s" | "m" | "h"] : NaN;
    if (!(seconds > 0)) throw new UsageError(`--${name} must be a duration > 0 such as 90, 90s, 15m or 1.5h, got ${JSON.stringify(raw)}`, this.command);
    return seconds;
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

  /** 1 or 2: the core splits a batch into two shards, one per thread. */
  threads(): number {
    const v = this.count("threads", 1) ?? 1;
    if (v > 2) throw new UsageError(`--threads must be 1 or 2, got ${v}: training splits the streams into two shards, one per thread`, this.command);
    return v;
  }

  sampling(): { temperature: number; topK: number } {
    return { temperature: this.positive("temperature") ?? 1, topK: this.count("top-k") ?? 0 };
  }
}

function describeParseError(e: Error & { code?: string }): string {
  // Node words it "Option '-q, --quiet' …" or "Unknown option '--frob'": take the long name.
  const option = /'(?:-\w, )?(--?[^' ,]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${option}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      if (/does not take/.test(e.message)) return `${option} takes no value`;
      return /ambiguous/.test(e.message) ? `${option} needs a value (for one that starts with "-", write ${option}=VALUE)` : `${option} needs a value`;
    default:
      return e.message;
  }
}
