// What `minrnn train` prints, in one of three modes:
//   text   the reference's output on stdout ("----\n sample \n----", "iter N, loss: X"),
//          notes on stderr, and on a terminal a live status line on stderr;
//   json   one JSON object per line on stdout, for programs;
//   quiet  nothing (errors are printed by the command itself).

export type Mode = "text" | "json" | "quiet";

export interface Status {
  iteration: number;
  smoothLoss: number;
  charsPerSecond: number;
  /** Seconds since training started. */
  elapsed: number;
  /** Seconds still to go when the run is bounded (--iters or --time). */
  remaining: number | undefined;
}

const STATUS_INTERVAL_MS = 100;

export class Reporter {
  #statusShown = false;
  #lastStatus = -Infinity;
  /** Set once stdout or stderr has failed (a closed terminal, a reader gone): nothing more is written. */
  #closed = false;

  constructor(
    readonly mode: Mode,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
    private readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {}

  /**
   * Calls `onClose` once when a write to stdout or stderr fails (EPIPE, EIO): the run can
   * then stop and save instead of dying on an unhandled stream error, and prints nothing more.
   */
  onClosed(onClose: () => void): void {
    const closed = () => {
      if (this.#closed) return;
      this.#closed = true;
      onClose();
    };
    this.stdout.on("error", closed);
    this.stderr.on("error", closed);
  }

  /** Once, before training: what is trained on what (json only; text mode lets the output speak). */
  start(fields: Record<string, unknown>): void {
    this.#json({ event: "start", ...fields });
  }

  /** A sample drawn as the reference does, before iteration `iteration`. */
  sample(iteration: number, text: string): void {
    if (this.mode === "text") this.#out(`----\n ${text} \n----\n`);
    this.#json({ event: "sample", iteration, text });
  }

  /** The reference's "iter N, loss: X" after iteration N (X: the smooth loss), and the validation loss with --val. */
  progress(iteration: number, loss: number, status: Status, valLoss?: number): void {
    const val = valLoss === undefined ? "" : `, val: ${valLoss.toFixed(6)}`;
    if (this.mode === "text") this.#out(`iter ${iteration}, loss: ${status.smoothLoss.toFixed(6)}${val}\n`);
    this.#json({ event: "progress", ...status, iteration, loss, ...(valLoss === undefined ? {} : { valLoss }) });
  }

  /** The live line; shown only in text mode on a terminal, at most ten times a second. */
  status(s: Status): void {
    if (this.mode !== "text" || !this.stderr.isTTY || this.#closed) return;
    const now = performance.now();
    if (now - this.#lastStatus < STATUS_INTERVAL_MS) return;
    this.#lastStatus = now;
    const parts = [
      `iter ${s.iteration}`,
      `loss ${s.smoothLoss.toFixed(3)}`,
      `${formatRate(s.charsPerSecond)} chars/s`,
      formatDuration(s.elapsed),
    ];
    if (s.remaining !== undefined) parts.push(`ETA ${formatDuration(s.remaining)}`);
    this.stderr.write(`\r${parts.join("  ")}\x1b[K`);
    this.#statusShown = true;
  }

  checkpoint(path: string, iteration: number): void {
    this.#json({ event: "checkpoint", iteration, path });
  }

  /** A validation loss at --eval-every: per window, and per character in nats and bits; a new best is saved at `bestPath`. */
  evaluation(iteration: number, loss: number, seqLength: number, best: boolean, bestPath: string, status: Status): void {
    const nats = loss / seqLength;
    if (this.mode === "text") {
      this.#out(`iter ${iteration}, val: ${loss.toFixed(4)} per window, ${nats.toFixed(4)} nats/char (${(nats / Math.LN2).toFixed(4)} bits/char)${best ? `, best so far: saved ${bestPath}` : ""}\n`);
    }
    this.#json({ event: "evaluation", iteration, valLoss: loss, natsPerChar: nats, bitsPerChar: nats / Math.LN2, best, elapsed: status.elapsed, charsPerSecond: status.charsPerSecond });
  }

  warning(message: string): void {
    if (this.mode === "text") this.#err(`minrnn: warning: ${message}\n`);
    this.#json({ event: "warning", message });
  }

  /** The final save; `reason` says why training ended. */
  saved(path: string, iteration: number, smoothLoss: number, reason: "done" | "interrupted" | "diverged", valLoss?: number): void {
    const why = reason === "interrupted" ? " after an interruption" : reason === "diverged" ? " (the last good weights)" : "";
    const val = valLoss === undefined ? "" : `, validation loss ${valLoss.toFixed(3)}`;
    if (this.mode === "text") this.#err(`minrnn: saved ${path}${why}: iteration ${iteration}, smooth loss ${smoothLoss.toFixed(3)}${val}\n`);
    this.#json({ event: "saved", iteration, smoothLoss, path, reason, ...(valLoss === undefined ? {} : { valLoss }) });
  }

  /** Says that Ctrl-C was seen, so that the wait for the chunk to end is not a mystery. */
  stopping(signal: string): void {
    if (this.mode === "text") this.#err(`minrnn: ${signal}: saving after the current iterations\n`);
  }

  /** Removes the status line so that what follows starts on a clean line. */
  clearStatus(): void {
    if (this.#statusShown && !this.#closed) this.stderr.write("\r\x1b[K");
    this.#statusShown = false;
  }

  #out(text: string): void {
    this.clearStatus();
    if (!this.#closed) this.stdout.write(text);
  }

  #err(text: string): void {
    this.clearStatus();
    if (!this.#closed) this.stderr.write(text);
  }

  #json(fields: Record<string, unknown>): void {
    // JSON has no Infinity (clip = Infinity): written "Infinity", as checkpoints and info --json write it, not null.
    if (this.mode === "json" && !this.#closed) this.stdout.write(`${JSON.stringify(fields, (_, v) => (v === Infinity ? "Infinity" : v))}\n`);
  }
}

function formatRate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

/** 0:07, 12:34, 1:02:03. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(r).padStart(2, "0")}`;
}
