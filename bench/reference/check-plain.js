// Parity check of bench/reference/plain.js against the min-char-rnn fixtures.
// Usage: node bench/reference/check-plain.js [FIXTURE.json ...]
// Exits non-zero if any check fails. Limits are the float32 ones from
// /work/shared/fixtures/README.md.
import { readFileSync } from 'node:fs';
import { PlainCharRNN, encode } from './plain.js';

const FIXTURE_DIR = '/work/shared/fixtures';
const files = process.argv.length > 2
  ? process.argv.slice(2)
  : ['parity-small.json', 'parity-unicode.json', 'parity-clip.json'].map((f) => `${FIXTURE_DIR}/${f}`);

const LIMITS = {
  firstLossRel: 1e-6,
  firstGradsAbs: 5e-6,
  firstHsAbs: 1e-7,
  lossRel: 1e-4,
  smoothRel: 1e-6,
  paramsAbs: 1e-3,
  memAbs: 3e-2,
};

const relDiff = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN propagates as failure
  }
  return m;
}

let failed = false;
for (const file of files) {
  const fx = JSON.parse(readFileSync(file, 'utf8'));
  const hp = fx.hyperparameters;
  const H = hp.hidden;
  const T = hp.seq_length;
  const K = fx.training.iterations;
  const problems = [];
  const check = (ok, msg) => { if (!ok) problems.push(msg); };

  // vocabulary / indexing by code point
  const { vocab, indices } = encode(fx.text);
  check(vocab.length === fx.vocab_size, `vocab size ${vocab.length} != ${fx.vocab_size}`);
  check(JSON.stringify(vocab) === JSON.stringify(fx.vocab), 'vocab differs');
  check(indices.length === fx.text_length, `text length ${indices.length} != ${fx.text_length}`);

  const init = {
    Wxh: fx.init.Wxh.data, Whh: fx.init.Whh.data, Why: fx.init.Why.data,
    bh: fx.init.bh.data, by: fx.init.by.data,
  };
  const make = () => {
    const m = new PlainCharRNN({ indices, vocabSize: vocab.length, hidden: H, seqLength: T, learningRate: hp.learning_rate });
    m.loadInit(init);
    return m;
  };

  // first lossFun call at p = 0, hprev = 0
  const fc = fx.first_call;
  const m0 = make();
  const firstLoss = m0.lossFun(0);
  const firstLossRel = relDiff(firstLoss, fc.loss);
  check(firstLossRel <= LIMITS.firstLossRel, `first_call.loss rel ${firstLossRel.toExponential(2)}`);
  let firstGradsAbs = 0;
  for (const g of ['dWxh', 'dWhh', 'dWhy', 'dbh', 'dby']) {
    const d = maxAbsDiff(m0[g], fc.grads[g].data);
    firstGradsAbs = Math.max(firstGradsAbs, d);
    check(d <= LIMITS.firstGradsAbs, `first_call.grads.${g} abs ${d}`);
  }
  const firstHsAbs = maxAbsDiff(m0.hs.subarray(H), fc.hs.data);
  check(firstHsAbs <= LIMITS.firstHsAbs, `first_call.hs abs ${firstHsAbs}`);

  // K training iterations
  const m = make();
  check(relDiff(m.smoothLoss, fx.training.initial_smooth_loss) <= 1e-15, 'initial smooth loss');
  let lossRel = 0;
  let smoothRel = 0;
  let pMismatch = 0;
  for (let n = 0; n < K; n++) {
    const loss = m.step();
    const pUsed = m.position - T;
    if (pUsed !== fx.training.p[n]) {
      pMismatch++;
      check(false, `n=${n}: p ${pUsed} != ${fx.training.p[n]}`);
    }
    const lr = relDiff(loss, fx.training.loss[n]);
    const sr = relDiff(m.smoothLoss, fx.training.smooth_loss[n]);
    if (!(lr <= LIMITS.lossRel)) check(false, `n=${n}: loss rel ${lr.toExponential(2)}`);
    if (!(sr <= LIMITS.smoothRel)) check(false, `n=${n}: smooth loss rel ${sr.toExponential(2)}`);
    lossRel = Math.max(lossRel, lr);
    smoothRel = Math.max(smoothRel, sr);
  }
  check(m.iteration === K, `iteration ${m.iteration} != ${K}`);
  check(m.position === fx.training.final.p_next, `p_next ${m.position} != ${fx.training.final.p_next}`);

  const params = m.params();
  let paramsAbs = 0;
  for (const k of ['Wxh', 'Whh', 'Why', 'bh', 'by']) {
    const d = maxAbsDiff(params[k], fx.training.final.params[k].data);
    paramsAbs = Math.max(paramsAbs, d);
    check(d <= LIMITS.paramsAbs, `final ${k} abs ${d}`);
  }
  let memAbs = 0;
  for (const k of ['mWxh', 'mWhh', 'mWhy', 'mbh', 'mby']) {
    const d = maxAbsDiff(m[k], fx.training.final.mem[k].data);
    memAbs = Math.max(memAbs, d);
    check(d <= LIMITS.memAbs, `final ${k} abs ${d}`);
  }

  const name = fx.name ?? file;
  const status = problems.length === 0 ? 'PASS' : 'FAIL';
  console.log(
    `${status} ${name}: H=${H} T=${T} V=${vocab.length} K=${K} | first call: loss rel ${firstLossRel.toExponential(1)}, ` +
    `grads abs ${firstGradsAbs.toExponential(1)}, hs abs ${firstHsAbs.toExponential(1)} | ` +
    `max loss rel ${lossRel.toExponential(1)}, smooth rel ${smoothRel.toExponential(1)}, ` +
    `p mismatches ${pMismatch}, params abs ${paramsAbs.toExponential(1)}, mem abs ${memAbs.toExponential(1)}`,
  );
  for (const pr of problems.slice(0, 10)) console.log(`    ${pr}`);
  if (problems.length > 10) console.log(`    ... ${problems.length - 10} more`);
  if (problems.length) failed = true;
}

if (failed) {
  console.log('check-plain: FAILED');
  process.exit(1);
}
console.log(`check-plain: all ${files.length} fixtures passed`);
