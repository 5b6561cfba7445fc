// Time the plain-JavaScript reference (bench/reference/plain.js) on a text file.
// Usage: node bench/reference/run-once.js --data FILE [--iters 2000] [--warmup 200]
//        [--rounds 1] [--hidden 100] [--seq 25] [--lr 0.1] [--seed 42]
// Prints one JSON line per round, same shape as min_char_rnn.py:
// {"impl":"plain-js","dtype":"float32","iterations":N,"seconds":...,"charsPerSec":...,"smoothLoss":...,"node":"v20..."}
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PlainCharRNN, encode } from './plain.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    iters: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '1' },
    hidden: { type: 'string', default: '100' },
    seq: { type: 'string', default: '25' },
    lr: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '42' },
  },
});
if (!values.data) {
  console.error('usage: node bench/reference/run-once.js --data FILE [--iters N] [--warmup W] [--rounds R] [--hidden H] [--seq T] [--lr LR] [--seed S]');
  process.exit(2);
}
const iters = Number(values.iters);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const seqLength = Number(values.seq);

const { vocab, indices } = encode(readFileSync(values.data, 'utf8'));
const model = new PlainCharRNN({
  indices,
  vocabSize: vocab.length,
  hidden: Number(values.hidden),
  seqLength,
  learningRate: Number(values.lr),
  seed: Number(values.seed),
});
model.train(warmup);
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  model.train(iters);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(JSON.stringify({
    impl: 'plain-js',
    dtype: 'float32',
    iterations: iters,
    seconds,
    charsPerSec: (iters * seqLength) / seconds,
    smoothLoss: model.smoothLoss,
    node: process.version,
  }));
}
