// --preset NAME: recipes as data, so that they can be retuned from a measured sweep
// without touching the code. Each is a set of `minrnn train` flags, written as on the
// command line; an explicit flag overrides the preset's.

export interface Preset {
  /** What it is for, and where its values come from. */
  description: string;
  /** Option name (without --) → value, as on the command line. */
  flags: Readonly<Record<string, string>>;
}

export const PRESETS: Readonly<Record<string, Preset>> = {
  "lstm-10min": {
    description: "good text in about 10 minutes on a laptop: the README's quality recipe (tiny shakespeare on 2 cores: best 1.513 nats/char in 10 min, 1.60 passed after 3 min); the best model goes to the --out path's .best.safetensors",
    flags: {
      cell: "lstm", layers: "2", hidden: "128", batch: "32", seq: "50",
      optimizer: "adam", lr: "2e-3", "clip-norm": "5", dropout: "0.1",
      threads: "auto", val: "0.1", "eval-every": "500", time: "10m",
    },
  },
  tiny: {
    description: "a first LSTM in a minute (tiny shakespeare: 1.84 nats/char after 58 s in one run on a busy 2-core machine; not tuned)",
    flags: {
      cell: "lstm", layers: "1", hidden: "64", batch: "16", seq: "32",
      optimizer: "adam", lr: "3e-3", "clip-norm": "5",
      val: "0.1", "eval-every": "200", time: "1m",
    },
  },
};

/** "--cell lstm --layers 2 …": a preset's flags as a command line. */
export function presetFlags(preset: Preset): string {
  return Object.entries(preset.flags).map(([flag, value]) => `--${flag} ${value}`).join(" ");
}
