#!/usr/bin/env node
// The `minrnn` command: parses the command line, runs a command, and turns every error
// into one line on stderr ("minrnn: what was wrong; what to do") and an exit code:
// 2 for a mistake in the command line, 1 for anything else, 130 after Ctrl-C (143 after
// SIGTERM, 129 after SIGHUP).
import { readFileSync } from "node:fs";
import { escapeControl } from "../../escape.js";
import { MinrnnError } from "../../index.js";
import { COMMANDS, UsageError, parseCommand, type Command } from "./args.js";
import { helpText } from "./help.js";
import { info } from "./info.js";
import { init } from "../index.js";
import { sample } from "./sample.js";
import { train } from "./train.js";

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--version" || first === "-V") {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`minrnn ${pkg.version}\n`);
    return 0;
  }
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`no command ${JSON.stringify(topic)}; the commands are ${COMMANDS.join(", ")}`);
    process[first === undefined ? "stderr" : "stdout"].write(helpText(topic));
    return first === undefined ? 2 : 0;
  }
  if (!isCommand(first)) {
    throw new UsageError(first.startsWith("-") ? `unknown option ${first} before a command` : `unknown command ${JSON.stringify(first)}; the commands are ${COMMANDS.join(", ")}`);
  }
  // The core first: checking the options asks it for its limits.
  await init();
  const parsed = parseCommand(first, rest);
  if (parsed.help) {
    process.stdout.write(helpText(first));
    return 0;
  }
  if (parsed.command === "train" && parsed.args.fma) await init({ arithmetic: "fma" });   // the fused build instead
  if (parsed.command === "info") return info(parsed.args);
  if (parsed.command === "sample") return sample(parsed.args);
  // Training saves before it stops: its reporter, not an exit, answers a reader that goes away.
  process.stdout.off("error", exitOnClosedReader);
  return train(parsed.args);
}

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}

/** The one line an error becomes, and the exit code. */
function report(e: unknown): number {
  if (process.env.MINRNN_DEBUG) console.error(e);
  if (e instanceof UsageError) {
    const help = e.command ? `minrnn ${e.command} --help` : "minrnn --help";
    process.stderr.write(`minrnn: ${escapeControl(e.message)}; see ${help}\n`);
    return 2;
  }
  const message = e instanceof MinrnnError ? e.message : `unexpected error: ${(e as Error)?.message ?? String(e)}; run again with MINRNN_DEBUG=1 and report it`;
  process.stderr.write(`minrnn: ${escapeControl(message)}\n`);
  return 1;
}

/** A reader that goes away (minrnn sample | head) is not an error. */
function exitOnClosedReader(e: NodeJS.ErrnoException): void {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
}
process.stdout.on("error", exitOnClosedReader);

process.exitCode = await main(process.argv.slice(2)).catch(report);
