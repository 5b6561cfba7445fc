// XNNPACK's GEMM, the best a JavaScript user gets in WebAssembly: tf.matMul on TF.js's
// wasm backend (@tensorflow/tfjs-backend-wasm, SIMD, one thread) at the shapes given as
// JSON in argv[2] ([{ label, M, K, N, ta, tb }]: A [M,K] (or Aᵀ), B [K,N] (or Bᵀ)),
// `rounds` timed bursts each. Run by bench/limit.js through peers/install.js's runPeer.
// Prints { version, gflops: { label: [per round] } }.
const tf = require("@tensorflow/tfjs-core");
const wasm = require("@tensorflow/tfjs-backend-wasm");

async function main() {
  const shapes = JSON.parse(process.argv[2]), rounds = Number(process.argv[3]);
  wasm.setThreadsCount(1);
  await tf.setBackend("wasm");
  await tf.ready();
  if (tf.getBackend() !== "wasm") throw new Error(`TF.js runs on ${tf.getBackend()}, not wasm`);
  const gflops = {};
  const cases = shapes.map((s) => {
    const a = tf.randomUniform(s.ta ? [s.K, s.M] : [s.M, s.K]), b = tf.randomUniform(s.tb ? [s.N, s.K] : [s.K, s.N]);
    const run = () => tf.matMul(a, b, s.ta, s.tb).dispose();
    run();
    const reps = Math.max(1, Math.round(3e8 / (2 * s.M * s.K * s.N)));
    gflops[s.label] = [];
    return { s, run, reps };
  });
  for (let r = 0; r < rounds; r++) {
    for (const { s, run, reps } of cases) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < reps; i++) run();
      gflops[s.label].push((2 * s.M * s.K * s.N * reps) / Number(process.hrtime.bigint() - t0));
    }
  }
  console.log(JSON.stringify({ version: tf.version_core, gflops }));
}
main();
